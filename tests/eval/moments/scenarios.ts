// The scenario library of issue #14 (item 7): each scenario is a fictional Italian brand's
// workspace, a seeded stream of realistic posts about it, and the moments a social media
// manager would want opened (or not) with how fast. Every workspace is fresh: each scenario is
// also a cold start. Times are UTC; Italy is UTC+1 in November.
import { coldStart, englishCrisis, quietBrand, themelessPileOn, twoCrises } from './scenarios/pileons';
import { slowBurn, newsSpike, lateBatch } from './scenarios/slow-news-late';
import { viralTrend, crisisInOpportunity } from './scenarios/trends';
import { botFlood, calmWeek, competitorCrisis } from './scenarios/noise';
import type { Scenario } from './harness';

export const SCENARIOS: readonly Scenario[] = [
  coldStart,
  slowBurn,
  botFlood,
  newsSpike,
  viralTrend,
  crisisInOpportunity,
  englishCrisis,
  calmWeek,
  lateBatch,
  quietBrand,
  themelessPileOn,
  competitorCrisis,
  twoCrises,
];
