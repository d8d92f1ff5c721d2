export { parseReplayStream, readReplayFile, Replayer, systemClock } from './replayer';
export type { ParsedStream, ReplayClock, ReplayItem, ReplayOptions, ReplayTimes, StreamItem } from './replayer';
