const t0 = performance.now();
const { sentimentAnalyzer } = await import('../../src/core/analysis/sentiment');
const t1 = performance.now();
sentimentAnalyzer();
const t2 = performance.now();
console.log('import (wink model)', Math.round(t1 - t0), 'ms; lexicons', Math.round(t2 - t1), 'ms');
