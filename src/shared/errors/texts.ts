// Over 400 lines on purpose: a catalogue, one entry per text in both languages side by side.
// Texts people read that are not errors: notes of the delivery log, the words of an alert
// notification, review-step reasons, source health, CLI help and progress (with, in their
// own files, the connectors' texts, core's reasons and alert lines, the CLI's lines). Same rules as
// the error catalogue: a code, its params, an Italian and an English text with the same
// placeholders ({name}, {name:term}, {name:terms}, {name:code}), rendered by renderText.
import { CONNECTOR_TEXTS } from './texts-connectors';
import { CLI_TEXTS } from './texts-cli';
import { CORE_TEXTS } from './texts-core';
import { SCHEMA_TEXTS } from './texts-schema';

// Built in a pure call so a bundle that never words a text (the sandboxed preload) drops the
// whole catalogue: spreading the parts into a plain literal would keep them all there.
export const TEXTS = /* @__PURE__ */ (() => ({
  it: {
    ...CONNECTOR_TEXTS.it,
    ...CORE_TEXTS.it,
    ...CLI_TEXTS.it,
    ...SCHEMA_TEXTS.it,
    // Alert notifications and their delivery log.
    'notify.shownInWindow': 'mostrata nella finestra',
    'notify.acceptedBy': 'accettata da {host}: {response}',
    'notify.httpOk': '{channel:term}: HTTP {status}',
    'notify.alertFired': 'Allerta {severity:term}: {rule}',
    'notify.alertEscalated': 'SLA scaduto — allerta {severity:term}: {rule}',
    'notify.lineContent': 'Contenuto: {title} ({key})',
    'notify.lineFired': 'Scattata: {at}',
    'notify.lineDue': 'Intervento entro: {at}',
    'notify.testTitle': 'Prova di notifica da Vedetta',
    'notify.testLine': 'Se leggi questo messaggio il canale è configurato correttamente.',
    'notify.emailFooter': 'Apri Vedetta, vista Tier 2 → Allerte, per prendere in carico l’allerta e registrare l’intervento.',
    // A feed's health (connectors/inbound/feeds): why a poll failed.
    'feed.gone': "il feed è sparito (410): rimuovilo o aggiorna l'indirizzo",
    'feed.notFound': "il feed non esiste a questo indirizzo (404): controlla l'indirizzo",
    'feed.denied': "il sito nega l'accesso al feed ({status})",
    'feed.throttledWait': 'troppe richieste (429): riprovo tra {wait:code}',
    'feed.throttled': 'troppe richieste (429): riprovo più tardi',
    'feed.status': 'il feed ha risposto {status}',
    'feed.statusWait': 'il feed ha risposto {status}: riprovo tra {wait:code}',
    'feed.badXmlAt': 'XML non valido alla riga {line}: {reason:code}',
    'feed.badXml': 'XML non valido: {reason:code}',
    'feed.hostNotFound': "il sito del feed non si trova ({host}): controlla l'indirizzo",
    'feed.connRefused': 'il server del feed rifiuta la connessione',
    'feed.connReset': 'la connessione con il feed si è interrotta',
    'feed.unreachable': 'il server del feed non è raggiungibile',
    'feed.certExpired': 'il certificato HTTPS del sito è scaduto',
    'feed.certInvalid': 'il certificato HTTPS del sito non è valido',
    'feed.badHttp': 'il server del feed ha risposto in modo non valido (HTTP)',
    'feed.networkCode': 'errore di rete ({code})',
    'feed.network': 'errore di rete: {reason}',
    'feed.scheme': 'indirizzo non supportato ({scheme}): sono ammessi solo http e https',
    'feed.badUrl': 'indirizzo del feed non valido: {url}',
    'feed.aborted': 'controllo del feed annullato',
    'feed.timeout': 'il feed non ha risposto entro {wait:code}',
    'feed.idle': 'il feed non invia dati da {wait:code}',
    'feed.redirectLoop': 'troppi reindirizzamenti (ciclo)',
    'feed.redirectMax': 'troppi reindirizzamenti (più di {max})',
    'feed.tooLarge': 'il feed supera il limite di {size}',
    'feed.encoding': 'il feed usa una compressione non supportata ({encoding})',
    'feed.interrupted': 'la connessione si è interrotta durante il download del feed',
    'feed.badCompression': 'il feed è arrivato compresso in modo non valido',
    'feed.unexpected': 'errore inatteso: {reason}',
    'feed.jsonMalformed': 'JSON Feed non valido: il JSON è malformato ({reason})',
    'feed.jsonInvalid': 'JSON Feed non valido: {reason:code}',
    'feed.jsonInvalidAt': 'JSON Feed non valido ({path}): {reason:code}',
    'feed.jsonUnknown': 'struttura sconosciuta',
    'feed.empty': 'il feed è vuoto (nessun contenuto)',
    'feed.emptyXml': 'il feed è vuoto (nessun elemento XML)',
    'feed.webPage': "l'indirizzo porta a una pagina web, non a un feed",
    'feed.dtd': 'il feed contiene entità DTD: rifiutato per sicurezza',
    'feed.notFeed': 'il documento non è un feed RSS, Atom o JSON Feed',
    'feed.notFeedRoot': 'il documento non è un feed RSS, Atom o JSON Feed (elemento principale <{root}>)',
    // The XML parser's commonest complaints about a broken feed.
    'sax.unexpectedClose': 'tag di chiusura inatteso',
    'sax.unclosedRoot': 'il documento finisce prima di chiudere tutti i tag (feed troncato?)',
    'sax.unmatchedClose': 'tag di chiusura senza apertura',
    'sax.badEntity': 'entità non valida (per esempio un & non codificato)',
    'sax.badEntityName': 'carattere & non codificato',
    'sax.textBefore': 'testo prima del primo tag',
    'sax.textOutside': "testo fuori dall'elemento principale",
    'sax.badTagName': 'nome di tag non valido',
    'sax.unquotedAttribute': 'valore di attributo senza virgolette',
    'sax.attributeNoValue': 'attributo senza valore',
    'sax.unexpectedEnd': 'il documento finisce a metà',
    'sax.unclosedTag': 'tag non chiuso',
    'sax.badAttributeName': 'nome di attributo non valido',
    // A wait, in the words of a sentence ("riprovo tra 5 minuti").
    'wait.second': '1 secondo',
    'wait.seconds': '{n} secondi',
    'wait.minutes': '{n} minuti',
    'wait.hour': '1 ora',
    'wait.hours': '{n} ore',
    // A source's health, as the scheduler records it.
    'source.timeout': 'la fonte non ha risposto entro {seconds} secondi',
    'source.unavailable': 'questo tipo di fonte non è disponibile in questa versione di Vedetta',
    'source.badSettings': 'impostazioni non valide: {why}',
    'source.secretsUnreadable': 'impossibile leggere le credenziali: {reason}',
    'source.connectorCrashed': 'errore inatteso del connettore: {reason}',
    'source.storeFailed': 'salvataggio non riuscito: {reason}',
    'source.paused': 'Sospesa: {said}.',
    'source.pausedByYou': 'Messa in pausa da te.',
    'source.pausedAfter': 'Sospesa dopo {failures} errori di fila; l’ultimo: {said}.',
    // Why a response needs each review step, or cannot be published (core/policy), stored with its steps.
    'policy.forbiddenTheme': 'Tema vietato «{theme}»: solo note interne, nessuna risposta pubblicabile.',
    'policy.legalSensitiveTheme': 'Revisione legale: tema sensibile «{theme}».',
    'policy.legalStrongRisk': 'Revisione legale: area di rischio forte.',
    'policy.legalStrongAudience': 'Revisione legale: pubblico forte «{audience}».',
    'policy.legalChannel': 'Revisione legale: il canale «{channel}» la richiede.',
    'policy.secondApprover': 'Secondo approvatore richiesto dalla policy (ruolo {role}).',
    'policy.ownerAlways': "Approvazione dell'owner: sempre richiesta.",
    // The outbox and the channel test (core/publishing); outbox errors are stored with the job.
    'publish.manualTest': 'Il canale manuale non ha nulla da provare: copierai il testo e registrerai l’URL del post.',
    'publish.unavailableTest': 'Pubblicazione {kind} non disponibile in questa versione.',
    'publish.channelOff': 'il canale «{channel}» è disattivato: riattivalo e riprova',
    'publish.unavailable': 'pubblicazione {kind} non disponibile',
    // A file import (core/ingest): why the file or a row was refused; stored with the report.
    'import.tooLarge': 'Il file supera il limite di {mib} MiB: dividilo in parti più piccole.',
    'import.savedBefore': 'Salvataggio interrotto: le righe pubblicate prima del {when} UTC sono state salvate, le altre no. Riprova: le righe già salvate non verranno duplicate.',
    'import.savedNone': 'Salvataggio interrotto: le altre no. Riprova: le righe già salvate non verranno duplicate.',
    'import.csvBinary': 'Il file non è testo: sembra un file binario (ad esempio un .xlsx). Salvalo come CSV (UTF-8) e riprova.',
    'import.csvEmpty': 'Il file è vuoto.',
    'import.empty': 'Il file è vuoto: nessuna riga da importare.',
    'import.cancelledNone': 'Import annullato prima di salvare: nessuna riga è stata salvata.',
    'import.cancelledAfter': 'Import annullato: salvate {n} righe, quelle pubblicate fino al {when} UTC; le altre no. Importa di nuovo il file per completarlo: le righe già salvate non verranno duplicate.',
    'import.manyRejected': 'Scartate {n} righe: qui sono elencate le prime {max}. Controlla che il file sia nel formato giusto.',
    'import.csvStrict': 'Riga {line}, colonna {column}: {what}. Nessuna riga è stata salvata: correggi il file, oppure scegli «salva le righe buone».',
    'import.encodingUnsupported': 'Il file è in {encoding}, che non è letto: salvalo come UTF-8 e riprova.',
    'import.csvQuote': 'virgolette aperte e mai chiuse: il resto del file da qui non è leggibile',
    'import.csvBadRow': 'riga CSV non leggibile ({reason:code})',
    'import.unknownError': 'errore sconosciuto',
    'import.csvUnreadable': 'Il file CSV non è leggibile: {reason}',
    'import.readFailed': 'Il file non è stato letto fino in fondo: {reason}',
    'import.tooBigToRead': 'Il file non si legge senza superare {mib} MiB di memoria: un file .json è un documento unico e va letto tutto insieme. Salvalo come JSONL (una menzione per riga) o CSV, che si leggono a pezzi.',
    'import.csvNoRows': 'Il file CSV non ha righe leggibili.',
    'import.csvNoText': 'Il file CSV non ha una colonna "text" (né "title"): la prima riga deve nominare le colonne, ad esempio source,author,text,published_at. Colonne trovate: {columns:code}.',
    'import.noColumns': 'nessuna',
    'import.csvColumns': "la riga ha {count} colonne, l'intestazione ne ha {expected}",
    'import.csvNotInteger': '{field}: «{value}» non è un numero intero',
    'import.jsonInvalid': 'JSON non valido ({reason})',
    'import.jsonBinary': 'Il file non è testo: sembra un file binario (foglio di calcolo, archivio, immagine). Esportalo come JSONL o CSV.',
    'import.jsonList': 'la riga contiene una lista: serve un oggetto JSON per riga',
    'import.jsonNotObject': 'la riga non è un oggetto JSON',
    'import.jsonItemNotObject': "l'elemento non è un oggetto JSON",
    // The command line's reports and progress lines (src/cli), in the language it runs in.
    'output.notUtf8': 'Nota: {file} non è UTF-8; letto come Windows-1252.',
    'output.encoding': '  codifica:   {encoding}',
    'output.importReading': 'Lettura: {rows} righe ({pct}%), ancora {eta} s…',
    'output.importStoring': 'Salvataggio: {stored} di {total} ({pct}%), ancora {eta} s…',
    'output.repaired': '  righe con byte non validi, lette con �: {n}',
    'output.importHead': 'Import di {file} ({format}): {lines} righe',
    'output.accepted': '  accettate:  {n}',
    'output.saved': '  salvate:    {n}',
    'output.duplicates': '  duplicate:  {n}',
    'output.rejected': '  scartate:   {n}',
    'output.withWarning': '  con avviso: {n}',
    'output.row': '  riga {line}: {reason}',
    'output.warningsHead': 'Avvisi (righe salvate):',
    'output.moreRejected': '  … e altre {n} righe scartate',
    'output.moreWarnings': '  … e altre {n} righe con avviso',
    'output.replayProgress': 'Riproduzione: {emitted}/{total} ({pct}%)',
    'output.interrupted': 'Interrotto: chiudo…',
    'output.replayStart': 'Riproduco {file} a velocità ×{speed}{dates:code}…',
    'output.replayShifted': ', date spostate perché finisca adesso',
    'output.replayRecorded': ', con le date registrate',
    'output.replayDone': 'Riproduzione terminata: {total} righe',
    'output.demoStart': "Preparo l'area di lavoro demo in {dir}…",
    'output.demoBuilt': 'Demo pronta (corsa n. {run}): {accepted} menzioni salvate su {total}, {duplicates} duplicati, {rejected} scartate; date spostate perché l’ultima sia adesso.',
    'output.demoParts': 'Aggiunti: perimetro {perimeter}, {audiences} pubblici, canale manuale {channel}, {people} persone, metriche Tier 2 {metrics}.',
    'output.demoYes': 'sì',
    'output.demoNo': 'già presente',
    'output.demoPeopleHead': "Persone della demo (accesso con un clic dalla schermata d'accesso):",
    'output.demoPerson': '  {username}  {name} ({role})',
    'output.demoOpen': 'Aprila con: npx vedetta serve --data {dir}',
    'output.shifted': '  date spostate di {shift}',
    'output.dayUnit': 'g',
    'output.exported': 'Esportate {n} menzioni.',
    'output.exportedTo': 'Esportate {n} menzioni in {file}.',
    // The command line's help (src/cli), in the language it runs in.
    'help.main': `Vedetta — centro di comando per il social listening

Uso:
  vedetta serve   [--port N] [--data CARTELLA] [--host 127.0.0.1]
                  [--tls-cert FILE --tls-key FILE | --tls-self-signed] [--public-url URL]
  vedetta import  FILE [--format jsonl|csv] [--encoding NOME] [--keep-good-rows] [--data CARTELLA]
  vedetta replay  FILE [--speed N] [--shift-to-now] [--data CARTELLA]
  vedetta demo    [--format text|json] [--data CARTELLA]
  vedetta export  mentions [--format jsonl|csv] [--out FILE] [--data CARTELLA]
  vedetta status  [--format text|json] [--data CARTELLA]
{sources}
{users}
{audit}
  vedetta alerts  list [--format text|json] [--all] [--data CARTELLA]
  vedetta analyze FILE [--format jsonl|csv] [--text-column NOME] [--out FILE] [--data CARTELLA]

Comandi:
  serve    Avvia server e interfaccia nel browser su 127.0.0.1 (porta predefinita {port};
           0 = una porta libera). Stampa l'indirizzo dell'interfaccia (valido una volta) e
           quello del webhook.
           Con --tls-* è un server di team in HTTPS: --host 0.0.0.0 lo apre alla rete, ognuno
           entra con il proprio account (nessun token), --public-url è l'indirizzo che i
           colleghi aprono. --tls-self-signed crea alla prima partenza un certificato (in
           CARTELLA/tls) e ne stampa l'impronta SHA-256, da confrontare alla prima connessione.
  import   Importa un file JSONL o CSV e stampa il resoconto (righe scartate e perché, codifica).
           La codifica si riconosce dal BOM o dai byte (UTF-8, altrimenti Windows-1252);
           --encoding la impone. Un CSV con una riga illeggibile è rifiutato per intero
           (riga e colonna nel messaggio, nulla salvato), salvo --keep-good-rows.
  replay   Riproduce un flusso JSONL: consegna le menzioni con gli intervalli registrati divisi
           per --speed (predefinito 1), ma con le loro date di pubblicazione originali, così i
           momenti si aprono agli stessi orari che con import o webhook, a qualunque velocità.
           --shift-to-now sposta tutte le date di una stessa quantità (a passi di finestre
           intere dei momenti) perché l'ultima menzione risulti pubblicata quando arriva, alla
           fine della riproduzione: la crisi registrata finisce "adesso" e nessuna data cade nel
           futuro, a qualunque velocità (a ×1 ogni menzione è datata quando arriva).
  demo     Prepara l'area di lavoro demo senza aprire finestre: perimetro di «Caffè Aurora»,
           pubblici, un canale di pubblicazione manuale, una persona per ruolo (accesso con un
           clic), contenuti Tier 2 con le loro allerte, e tutto il flusso demo salvato subito con
           date che finiscono adesso. Ripeterlo aggiunge una nuova corsa (menzioni nuove, mai
           duplicati); ciò che esiste già (perimetro, pubblici, persone) non viene toccato.
  export   Esporta tutte le menzioni (JSONL predefinito) su stdout o in --out FILE.
           Funziona anche mentre un'altra istanza è in esecuzione.
  status   Mostra cartella dati, versione dello schema e conteggi (anche accanto a un'istanza attiva).
  sources  add: aggiunge una fonte controllata periodicamente (feed, Reddit, Discourse, Mastodon);
           list: le fonti con il loro stato (anche accanto a un'istanza attiva);
           test: scarica una volta e mostra cosa verrebbe salvato, senza salvare nulla.
           \`vedetta serve\` controlla tutte le fonti attive. Opzioni per tipo e credenziali
           (dalle variabili VEDETTA_SECRET_*): \`vedetta sources --help\`.
  users    add: crea una persona con i suoi ruoli (password da VEDETTA_PASSWORD o dallo stdin);
           list: le persone e i loro ruoli. Senza persone, la prima apertura chiede di creare
           l'amministratore.
  audit    verify: verifica la catena del registro delle attività (uscita 0 se integra, 1 con la
           prima voce alterata); export: il registro in CSV. Funziona accanto a un'istanza attiva.
  alerts   Elenca le allerte Tier 2 non risolte (--all: anche le risolte): stato, gravità,
           regola, contenuto, ora di scatto e scadenza SLA. Funziona accanto a un'istanza attiva.
  analyze  Analizza ogni riga di un file JSONL o CSV (colonna "text", o --text-column) e scrive
           una riga JSONL per riga: lingua, sentiment (punteggio, etichetta, parole decisive) e
           temi dei perimetri della cartella dati (letti in sola lettura). Le righe non valide sono segnalate su stderr con il numero di riga. Non salva nulla.

Cartella dati: --data, altrimenti VEDETTA_DATA_DIR, altrimenti la cartella utente della
piattaforma (Linux ~/.config/Vedetta, macOS ~/Library/Application Support/Vedetta,
Windows %APPDATA%\\Vedetta).
Variabili: VEDETTA_TOKEN fissa il token dell'interfaccia (altrimenti casuale a ogni avvio);
VEDETTA_WEBHOOK_TOKEN fissa la chiave webhook di questo nome (le altre in Impostazioni → Webhook).

Codici di uscita: 0 riuscito, 1 errore, 2 uso errato.
`,
    'help.sourcesUsage': `  vedetta sources add   --kind rss|reddit|discourse|mastodon [opzioni] [--name NOME] [--interval SECONDI] [--data CARTELLA]
  vedetta sources list  [--format text|json] [--data CARTELLA]
  vedetta sources test  --url URL | --kind … [opzioni]`,
    'help.sourcesDetail': `Opzioni per tipo:
  rss        --url URL
  reddit     --mode subreddit_posts|subreddit_comments|search|thread --client-id ID
             [--subreddit NOME] [--query TESTO] [--thread-url URL] [--username UTENTE]
  discourse  --base-url URL --mode latest|search|topic [--query TESTO] [--topic-id N] [--api-username U]
  mastodon   --instance URL --mode hashtag|account [--hashtag TAG] [--account UTENTE]
Le credenziali non si passano sulla riga di comando (resterebbero nella cronologia e in ps):
si leggono da VEDETTA_SECRET_CLIENT_SECRET, VEDETTA_SECRET_PASSWORD, VEDETTA_SECRET_REFRESH_TOKEN
(reddit), VEDETTA_SECRET_API_KEY (discourse), VEDETTA_SECRET_ACCESS_TOKEN (mastodon).
Sono cifrate con la chiave locale della cartella dati (secrets.key): le legge \`vedetta serve\`
su quella cartella; nell'app desktop (portachiavi del sistema) vanno reinserite.`,
    'help.usersUsage': `  vedetta users   add NOME_UTENTE --role RUOLO [--role RUOLO…] [--name "Nome Cognome"] [--data CARTELLA]
  vedetta users   list [--format text|json] [--data CARTELLA]`,
    'help.demo': `Uso: vedetta demo [--format text|json] [--data CARTELLA]

Prepara l'area di lavoro demo senza aprire finestre: perimetro di «Caffè Aurora», quattro
pubblici, il canale di pubblicazione manuale «Instagram @caffeaurora (manuale)», una persona per
ruolo (amministratore, strategist, manager, legale, owner, analista: nella schermata d'accesso
si entra con un clic, solo in un'area demo), contenuti Tier 2 con le loro allerte, e tutto il
flusso demo (5.469 menzioni) salvato subito con date che finiscono adesso, mai nel futuro.
Ripeterlo aggiunge una nuova corsa: menzioni con id nuovi, nessun duplicato. Ciò che esiste
già non viene toccato. Serve la cartella dati libera: chiudi prima \`vedetta serve\` o l'app.
Poi: npx vedetta serve --data CARTELLA.

Codici di uscita: 0 riuscito, 1 errore, 2 uso errato.
`,
    'help.usersDetail': `Ruoli: {roles}. La password si legge da VEDETTA_PASSWORD o dalla prima riga
dello standard input (mai dalla riga di comando). Serve la cartella dati libera: chiudi prima
\`vedetta serve\` o l'app.`,
    'help.auditUsage': `  vedetta audit   verify [--anchor FILE] [--data CARTELLA]
  vedetta audit   anchor --out FILE [--data CARTELLA]
  vedetta audit   export --format csv [--out FILE] [--data CARTELLA]`,
  },
  en: {
    ...CONNECTOR_TEXTS.en,
    ...CORE_TEXTS.en,
    ...CLI_TEXTS.en,
    ...SCHEMA_TEXTS.en,
    'notify.shownInWindow': 'shown in the window',
    'notify.acceptedBy': 'accepted by {host}: {response}',
    'notify.httpOk': '{channel:term}: HTTP {status}',
    'notify.alertFired': 'Alert ({severity:term}): {rule}',
    'notify.alertEscalated': 'SLA expired — alert ({severity:term}): {rule}',
    'notify.lineContent': 'Content: {title} ({key})',
    'notify.lineFired': 'Fired: {at}',
    'notify.lineDue': 'Act by: {at}',
    'notify.testTitle': 'Test notification from Vedetta',
    'notify.testLine': 'If you read this message the channel is set up correctly.',
    'notify.emailFooter': 'Open Vedetta, Tier 2 → Alerts view, to take charge of the alert and record the intervention.',
    'feed.gone': 'the feed is gone (410): remove it or update the address',
    'feed.notFound': 'no feed at this address (404): check the address',
    'feed.denied': 'the site denies access to the feed ({status})',
    'feed.throttledWait': 'too many requests (429): retrying in {wait:code}',
    'feed.throttled': 'too many requests (429): retrying later',
    'feed.status': 'the feed answered {status}',
    'feed.statusWait': 'the feed answered {status}: retrying in {wait:code}',
    'feed.badXmlAt': 'invalid XML at line {line}: {reason:code}',
    'feed.badXml': 'invalid XML: {reason:code}',
    'feed.hostNotFound': 'the feed’s site cannot be found ({host}): check the address',
    'feed.connRefused': 'the feed’s server refuses the connection',
    'feed.connReset': 'the connection with the feed broke off',
    'feed.unreachable': 'the feed’s server cannot be reached',
    'feed.certExpired': 'the site’s HTTPS certificate has expired',
    'feed.certInvalid': 'the site’s HTTPS certificate is not valid',
    'feed.badHttp': 'the feed’s server answered with invalid HTTP',
    'feed.networkCode': 'network error ({code})',
    'feed.network': 'network error: {reason}',
    'feed.scheme': 'unsupported address ({scheme}): only http and https are allowed',
    'feed.badUrl': 'invalid feed address: {url}',
    'feed.aborted': 'feed check cancelled',
    'feed.timeout': 'the feed did not answer within {wait:code}',
    'feed.idle': 'the feed has sent no data for {wait:code}',
    'feed.redirectLoop': 'too many redirects (a loop)',
    'feed.redirectMax': 'too many redirects (more than {max})',
    'feed.tooLarge': 'the feed exceeds the limit of {size}',
    'feed.encoding': 'the feed uses an unsupported compression ({encoding})',
    'feed.interrupted': 'the connection broke off while downloading the feed',
    'feed.badCompression': 'the feed arrived with invalid compression',
    'feed.unexpected': 'unexpected error: {reason}',
    'feed.jsonMalformed': 'invalid JSON Feed: the JSON is malformed ({reason})',
    'feed.jsonInvalid': 'invalid JSON Feed: {reason:code}',
    'feed.jsonInvalidAt': 'invalid JSON Feed ({path}): {reason:code}',
    'feed.jsonUnknown': 'unknown structure',
    'feed.empty': 'the feed is empty (no content)',
    'feed.emptyXml': 'the feed is empty (no XML element)',
    'feed.webPage': 'the address leads to a web page, not a feed',
    'feed.dtd': 'the feed contains DTD entities: refused for safety',
    'feed.notFeed': 'the document is not an RSS, Atom or JSON Feed',
    'feed.notFeedRoot': 'the document is not an RSS, Atom or JSON Feed (root element <{root}>)',
    'sax.unexpectedClose': 'unexpected closing tag',
    'sax.unclosedRoot': 'the document ends before closing every tag (truncated feed?)',
    'sax.unmatchedClose': 'closing tag without an opening one',
    'sax.badEntity': 'invalid entity (for example an unencoded &)',
    'sax.badEntityName': 'unencoded & character',
    'sax.textBefore': 'text before the first tag',
    'sax.textOutside': 'text outside the root element',
    'sax.badTagName': 'invalid tag name',
    'sax.unquotedAttribute': 'attribute value without quotes',
    'sax.attributeNoValue': 'attribute without a value',
    'sax.unexpectedEnd': 'the document ends halfway',
    'sax.unclosedTag': 'unclosed tag',
    'sax.badAttributeName': 'invalid attribute name',
    'wait.second': '1 second',
    'wait.seconds': '{n} seconds',
    'wait.minutes': '{n} minutes',
    'wait.hour': '1 hour',
    'wait.hours': '{n} hours',
    'source.timeout': 'the source did not answer within {seconds} seconds',
    'source.unavailable': 'this kind of source is not available in this version of Vedetta',
    'source.badSettings': 'invalid settings: {why}',
    'source.secretsUnreadable': 'cannot read the credentials: {reason}',
    'source.connectorCrashed': 'unexpected connector error: {reason}',
    'source.storeFailed': 'saving failed: {reason}',
    'source.paused': 'Paused: {said}.',
    'source.pausedByYou': 'Paused by you.',
    'source.pausedAfter': 'Paused after {failures} failures in a row; the last: {said}.',
    'policy.forbiddenTheme': 'Forbidden theme «{theme}»: internal notes only, no publishable response.',
    'policy.legalSensitiveTheme': 'Legal review: sensitive theme «{theme}».',
    'policy.legalStrongRisk': 'Legal review: strong risk area.',
    'policy.legalStrongAudience': 'Legal review: strong audience «{audience}».',
    'policy.legalChannel': 'Legal review: the channel «{channel}» requires it.',
    'policy.secondApprover': 'Second approver required by the policy (role {role}).',
    'policy.ownerAlways': 'Owner approval: always required.',
    'publish.manualTest': 'The manual channel has nothing to test: you will copy the text and record the post’s URL.',
    'publish.unavailableTest': '{kind} publishing is not available in this version.',
    'publish.channelOff': 'the channel «{channel}» is disabled: enable it and retry',
    'publish.unavailable': '{kind} publishing not available',
    'import.tooLarge': 'The file exceeds the limit of {mib} MiB: split it into smaller parts.',
    'import.savedBefore': 'Saving interrupted: the rows published before {when} UTC were saved, the others were not. Retry: rows already saved will not be duplicated.',
    'import.savedNone': 'Saving interrupted: the others were not. Retry: rows already saved will not be duplicated.',
    'import.csvBinary': 'The file is not text: it looks like a binary file (for example an .xlsx). Save it as CSV (UTF-8) and retry.',
    'import.csvEmpty': 'The file is empty.',
    'import.empty': 'The file is empty: no rows to import.',
    'import.cancelledNone': 'Import cancelled before saving: no row was saved.',
    'import.cancelledAfter': 'Import cancelled: {n} rows saved, those published up to {when} UTC; the others were not. Import the file again to complete it: rows already saved will not be duplicated.',
    'import.manyRejected': '{n} rows rejected: the first {max} are listed here. Check that the file is in the right format.',
    'import.csvStrict': 'Line {line}, column {column}: {what}. No row was saved: fix the file, or choose “store the good rows”.',
    'import.encodingUnsupported': 'The file is in {encoding}, which is not read: save it as UTF-8 and retry.',
    'import.csvQuote': 'quotes opened and never closed: the rest of the file from here cannot be read',
    'import.csvBadRow': 'unreadable CSV row ({reason:code})',
    'import.unknownError': 'unknown error',
    'import.csvUnreadable': 'The CSV file cannot be read: {reason}',
    'import.readFailed': 'The file was not read to the end: {reason}',
    'import.tooBigToRead': 'The file cannot be read within {mib} MiB of memory: a .json file is one document and is read whole. Save it as JSONL (one mention per line) or CSV, which are read in pieces.',
    'import.csvNoRows': 'The CSV file has no readable rows.',
    'import.csvNoText': 'The CSV file has no "text" column (nor "title"): the first row must name the columns, for example source,author,text,published_at. Columns found: {columns:code}.',
    'import.noColumns': 'none',
    'import.csvColumns': 'the row has {count} columns, the header has {expected}',
    'import.csvNotInteger': '{field}: «{value}» is not a whole number',
    'import.jsonInvalid': 'invalid JSON ({reason})',
    'import.jsonBinary': 'The file is not text: it looks like a binary file (spreadsheet, archive, image). Export it as JSONL or CSV.',
    'import.jsonList': 'the row holds a list: one JSON object per row is needed',
    'import.jsonNotObject': 'the row is not a JSON object',
    'import.jsonItemNotObject': 'the item is not a JSON object',
    'output.notUtf8': 'Note: {file} is not UTF-8; read as Windows-1252.',
    'output.encoding': '  encoding:   {encoding}',
    'output.importReading': 'Reading: {rows} rows ({pct}%), {eta} s left…',
    'output.importStoring': 'Saving: {stored} of {total} ({pct}%), {eta} s left…',
    'output.repaired': '  lines with invalid bytes, read with �: {n}',
    'output.importHead': 'Import of {file} ({format}): {lines} rows',
    'output.accepted': '  accepted:   {n}',
    'output.saved': '  saved:      {n}',
    'output.duplicates': '  duplicates: {n}',
    'output.rejected': '  rejected:   {n}',
    'output.withWarning': '  warnings:   {n}',
    'output.row': '  row {line}: {reason}',
    'output.warningsHead': 'Warnings (rows saved):',
    'output.moreRejected': '  … and {n} more rejected rows',
    'output.moreWarnings': '  … and {n} more rows with warnings',
    'output.replayProgress': 'Replay: {emitted}/{total} ({pct}%)',
    'output.interrupted': 'Interrupted: closing…',
    'output.replayStart': 'Replaying {file} at speed ×{speed}{dates:code}…',
    'output.replayShifted': ', dates shifted so that it ends now',
    'output.replayRecorded': ', with the recorded dates',
    'output.replayDone': 'Replay finished: {total} rows',
    'output.demoStart': 'Preparing the demo workspace in {dir}…',
    'output.demoBuilt': 'Demo ready (run {run}): {accepted} of {total} mentions stored, {duplicates} duplicates, {rejected} rejected; dates shifted so that the last one is now.',
    'output.demoParts': 'Added: perimeter {perimeter}, {audiences} audiences, manual channel {channel}, {people} people, Tier 2 metrics {metrics}.',
    'output.demoYes': 'yes',
    'output.demoNo': 'already there',
    'output.demoPeopleHead': 'The demo’s people (one-click sign-in on the sign-in screen):',
    'output.demoPerson': '  {username}  {name} ({role})',
    'output.demoOpen': 'Open it with: npx vedetta serve --data {dir}',
    'output.shifted': '  dates shifted by {shift}',
    'output.dayUnit': 'd',
    'output.exported': 'Exported {n} mentions.',
    'output.exportedTo': 'Exported {n} mentions to {file}.',
    'help.main': `Vedetta — command centre for social listening

Usage:
  vedetta serve   [--port N] [--data FOLDER] [--host 127.0.0.1]
                  [--tls-cert FILE --tls-key FILE | --tls-self-signed] [--public-url URL]
  vedetta import  FILE [--format jsonl|csv] [--encoding NAME] [--keep-good-rows] [--data FOLDER]
  vedetta replay  FILE [--speed N] [--shift-to-now] [--data FOLDER]
  vedetta demo    [--format text|json] [--data FOLDER]
  vedetta export  mentions [--format jsonl|csv] [--out FILE] [--data FOLDER]
  vedetta status  [--format text|json] [--data FOLDER]
{sources}
{users}
{audit}
  vedetta alerts  list [--format text|json] [--all] [--data FOLDER]
  vedetta analyze FILE [--format jsonl|csv] [--text-column NAME] [--out FILE] [--data FOLDER]

Commands:
  serve    Starts the server and the browser interface on 127.0.0.1 (default port {port};
           0 = a free port). Prints the interface's address (valid once) and the webhook's.
           With --tls-* it is a team server over HTTPS: --host 0.0.0.0 opens it to the
           network, each person signs in with their own account (no token), --public-url is
           the address colleagues open. --tls-self-signed makes a certificate at the first
           start (in FOLDER/tls) and prints its SHA-256 fingerprint, to compare at first connection.
  import   Imports a JSONL or CSV file and prints the report (rejected rows and why, encoding).
           The encoding is told by the BOM or by the bytes (UTF-8, else Windows-1252);
           --encoding sets it. A CSV with an unreadable row is refused whole (line and
           column in the message, nothing saved), unless --keep-good-rows.
  replay   Replays a JSONL stream: delivers the mentions at the recorded intervals divided by
           --speed (default 1), but with their original publication dates, so moments open
           at the same times as with import or the webhook, at any speed.
           --shift-to-now moves every date by the same amount (in steps of whole moment
           windows) so that the last mention reads as published when it arrives, at the end
           of the replay: the recorded crisis ends "now" and no date falls in the future, at
           any speed (at ×1 each mention is dated when it arrives).
  demo     Builds the demo workspace without opening a window: the «Caffè Aurora» perimeter,
           audiences, a manual publishing channel, one person per role (one-click sign-in),
           Tier 2 content with its alerts, and the whole demo stream stored at once with dates
           that end now. Running it again adds a fresh run (new mentions, never duplicates);
           what already exists (perimeter, audiences, people) is left untouched.
  export   Exports every mention (JSONL by default) to stdout or to --out FILE.
           Works even while another instance is running.
  status   Shows the data folder, the schema version and counts (also beside a running instance).
  sources  add: adds a source checked periodically (feed, Reddit, Discourse, Mastodon);
           list: the sources with their health (also beside a running instance);
           test: fetches once and shows what would be saved, saving nothing.
           \`vedetta serve\` checks every active source. Options per kind and credentials
           (from the VEDETTA_SECRET_* variables): \`vedetta sources --help\`.
  users    add: creates a person with their roles (password from VEDETTA_PASSWORD or stdin);
           list: the people and their roles. With no people, the first start asks to create
           the administrator.
  audit    verify: checks the chain of the activity log (exit 0 if intact, 1 with the first
           altered entry); export: the log as CSV. Works beside a running instance.
  alerts   Lists the unresolved Tier 2 alerts (--all: the resolved ones too): state, severity,
           rule, content, time fired and SLA deadline. Works beside a running instance.
  analyze  Analyses each row of a JSONL or CSV file ("text" column, or --text-column) and writes
           one JSONL row per row: language, sentiment (score, label, deciding words) and the
           perimeter themes of the data folder (read only). Invalid rows are reported on stderr with their row number. Saves nothing.

Data folder: --data, else VEDETTA_DATA_DIR, else the platform's user folder
(Linux ~/.config/Vedetta, macOS ~/Library/Application Support/Vedetta,
Windows %APPDATA%\\Vedetta).
Variables: VEDETTA_TOKEN fixes the UI token (otherwise random at each start);
VEDETTA_WEBHOOK_TOKEN fixes the webhook key of that name (the others in Settings → Webhook).

Exit codes: 0 success, 1 error, 2 wrong usage.
`,
    'help.sourcesUsage': `  vedetta sources add   --kind rss|reddit|discourse|mastodon [options] [--name NAME] [--interval SECONDS] [--data FOLDER]
  vedetta sources list  [--format text|json] [--data FOLDER]
  vedetta sources test  --url URL | --kind … [options]`,
    'help.sourcesDetail': `Options per kind:
  rss        --url URL
  reddit     --mode subreddit_posts|subreddit_comments|search|thread --client-id ID
             [--subreddit NAME] [--query TEXT] [--thread-url URL] [--username USER]
  discourse  --base-url URL --mode latest|search|topic [--query TEXT] [--topic-id N] [--api-username U]
  mastodon   --instance URL --mode hashtag|account [--hashtag TAG] [--account USER]
Credentials are never passed on the command line (they would stay in the history and in ps):
they are read from VEDETTA_SECRET_CLIENT_SECRET, VEDETTA_SECRET_PASSWORD, VEDETTA_SECRET_REFRESH_TOKEN
(reddit), VEDETTA_SECRET_API_KEY (discourse), VEDETTA_SECRET_ACCESS_TOKEN (mastodon).
They are encrypted with the data folder's local key (secrets.key): \`vedetta serve\` reads them
on that folder; in the desktop app (the system keychain) they must be entered again.`,
    'help.usersUsage': `  vedetta users   add USERNAME --role ROLE [--role ROLE…] [--name "First Last"] [--data FOLDER]
  vedetta users   list [--format text|json] [--data FOLDER]`,
    'help.demo': `Usage: vedetta demo [--format text|json] [--data FOLDER]

Builds the demo workspace without opening a window: the «Caffè Aurora» perimeter, four
audiences, the manual publishing channel «Instagram @caffeaurora (manuale)», one person per
role (admin, strategist, manager, legal, owner, analyst: one click on the sign-in screen signs
in, in a demo workspace only), Tier 2 content with its alerts, and the whole demo stream
(5,469 mentions) stored at once with dates that end now, never in the future. Running it again
adds a fresh run: mentions with new ids, no duplicates. What already exists is left untouched.
The data folder must be free: close \`vedetta serve\` or the app first.
Then: npx vedetta serve --data FOLDER.

Exit codes: 0 success, 1 error, 2 wrong usage.
`,
    'help.usersDetail': `Roles: {roles}. The password is read from VEDETTA_PASSWORD or from the first line of
standard input (never from the command line). The data folder must be free: close
\`vedetta serve\` or the app first.`,
    'help.auditUsage': `  vedetta audit   verify [--anchor FILE] [--data FOLDER]
  vedetta audit   anchor --out FILE [--data FOLDER]
  vedetta audit   export --format csv [--out FILE] [--data FOLDER]`,
  },
}) as const satisfies Record<'it' | 'en', Record<string, string>>)();

export type TextCode = keyof (typeof TEXTS)['it'];

export function isTextCode(x: unknown): x is TextCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(TEXTS.it, x);
}
