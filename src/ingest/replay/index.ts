export { parseReplayStream, readReplayFile, Replayer, systemClock } from './replayer';
export type { ParsedStream, ReplayClock, ReplayItem, ReplayOptions, StreamItem } from './replayer';
