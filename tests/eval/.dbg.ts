import { sentimentAnalyzer } from '../../src/core/analysis/sentiment';
const a = sentimentAnalyzer();
for (const t of ['Governo Monti subito', 'Mi serve una soluzione', 'Non è mai stato buono', '☕☕☕', 'Nessun problema con la consegna']) console.log(t, JSON.stringify(a.analyze(t, 'it')));
