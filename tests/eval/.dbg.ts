import { sentimentAnalyzer } from '../../src/core/analysis/sentiment';
const a = sentimentAnalyzer();
for (const t of process.argv.slice(2)) console.log(t, JSON.stringify(a.analyze(t)));
