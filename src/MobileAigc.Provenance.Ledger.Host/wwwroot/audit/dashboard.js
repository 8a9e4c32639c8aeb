// The auditor dashboard: asks for the admin or auditor key (kept in this tab's sessionStorage only),
// then reads api/dashboard (aggregations, behind the key) and api/audit (public record and batch pages)
// and shows them as numbers, plots and tables.
import { timePlot, hourly, formatTime } from './plots.js';

const KEY = 'ledger.dashboardKey';
const $ = id => document.getElementById(id);
const statusLine = $('status');
let recordsCursor = null, batchesCursor = null;
// The records table shows the summary's window (the last 24 hours unless set), so its rows and the counts agree.
let recordsWindow = { from: '', to: '' };

function say(message, isError = false) {
  statusLine.textContent = message;
  statusLine.classList.toggle('error', isError);
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
  }
}

async function getJson(path, params, withKey) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined));
  const headers = { Accept: 'application/json' };
  if (withKey) headers.Authorization = `Bearer ${sessionStorage.getItem(KEY) ?? ''}`;
  // The page lives at audit/ and the API beside it at the ledger's root (wherever that is mounted).
  const response = await fetch(`../${path}${query.size ? '?' + query : ''}`, { headers });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* no body */ }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

// datetime-local inputs are in the viewer's zone; the API takes Unix seconds.
function seconds(input) {
  return input.value ? String(Math.floor(new Date(input.value).getTime() / 1000)) : '';
}

function filters() {
  return {
    model: $('f-model').value.trim(), node: $('f-node').value.trim(), creator: $('f-creator').value.trim(),
    state: $('f-state').value, from: seconds($('f-from')), to: seconds($('f-to')),
  };
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '—';
  if (className) td.className = className;
  row.append(td);
}

function fillTable(body, rows, columns) {
  body.replaceChildren(...rows.map(item => {
    const tr = document.createElement('tr');
    for (const [value, className] of columns(item)) cell(tr, value, className);
    return tr;
  }));
}

function showSummary(summary) {
  const fields = [
    ['Records', summary.records], ['Pending', summary.pending], ['Anchoring', summary.anchoring], ['Anchored', summary.anchored],
    ['Revoked', summary.revoked], ['Models', summary.models], ['Nodes', summary.nodes], ['Batches anchored', summary.batches],
    ['Records in those batches', summary.batchedRecords], ['Gas used', summary.gasUsed],
    ['Gas per record', summary.gasPerRecord === null ? '—' : summary.gasPerRecord.toFixed(1)], ['Settlements', summary.settlements],
  ];
  $('summary').replaceChildren(...fields.flatMap(([label, value]) => {
    const dt = document.createElement('dt'); dt.textContent = label;
    const dd = document.createElement('dd'); dd.textContent = String(value);
    return [dt, dd];
  }));
  $('window').textContent = `${formatTime(summary.from)} to ${formatTime(summary.to)}`;
}

function showActivity(activity, plotId, tableId, noun) {
  const series = activity.series.map(s => ({ name: s.key, points: hourly(s.points, activity.from, activity.to, activity.bucketSeconds) }));
  timePlot($(plotId), series, { title: `Records per hour by ${noun}`, yLabel: 'records per hour' });
  fillTable($(tableId), activity.series, s => [[s.key, 'mono'], [String(s.total), 'num']]);
}

function showAnchoring(anchoring) {
  const label = b => `batch ${b.batchId} (${b.recordCount} records) ${formatTime(b.anchoredAt)}`;
  const delays = anchoring.batches.filter(b => b.medianDelaySeconds !== null);
  timePlot($('plot-delay'), [
    { name: 'median', points: delays.map(b => ({ x: b.anchoredAt, y: b.medianDelaySeconds, label: label(b) })) },
    { name: '95th percentile', points: delays.map(b => ({ x: b.anchoredAt, y: b.p95DelaySeconds, label: label(b) })) },
  ], { title: 'Anchoring delay per batch (acceptance to anchored)', yLabel: 'seconds' });
  const costed = anchoring.batches.filter(b => b.gasPerRecord !== null);
  timePlot($('plot-gas'), [{ name: 'gas per record', points: costed.map(b => ({ x: b.anchoredAt, y: b.gasPerRecord, label: label(b) })) }],
    { title: 'Gas per record per batch', yLabel: 'gas per record', bars: true });
  fillTable($('anchoring-table'), anchoring.batches, b => [
    [String(b.batchId), 'num'], [formatTime(b.anchoredAt)], [String(b.recordCount), 'num'], [b.gasUsed === null ? null : String(b.gasUsed), 'num'],
    [b.gasPerRecord === null ? null : b.gasPerRecord.toFixed(1), 'num'], [b.medianDelaySeconds?.toFixed(1), 'num'], [b.p95DelaySeconds?.toFixed(1), 'num'],
  ]);
  $('anchoring-truncated').hidden = !anchoring.truncated;
}

function tokenName(token) {
  return /^0x0{40}$/i.test(token) ? 'ETH (wei)' : `token ${token}`;
}

function showSettlements(settlements) {
  const series = settlements.tokens.flatMap(t => [
    { name: `${tokenName(t.token)} paid`, points: t.points.map(p => ({ x: p.start, y: Number(BigInt(p.paid)) })) },
    { name: `${tokenName(t.token)} royalties`, points: t.points.map(p => ({ x: p.start, y: Number(BigInt(p.royalties)) })) },
  ]);
  timePlot($('plot-settlements'), series, { title: 'Settlements and royalties per hour', yLabel: 'amount per hour', bars: true });
  fillTable($('settlements-table'), settlements.tokens.flatMap(t => t.points.map(p => ({ token: t.token, ...p }))), p => [
    [formatTime(p.start)], [tokenName(p.token)], [String(p.settlements), 'num'], [p.paid, 'num mono'], [p.royalties, 'num mono'],
  ]);
}

function showReconciliations(reconciliations) {
  timePlot($('plot-reconciliation'), [
    { name: 'differing batches', points: reconciliations.runs.map(r => ({ x: r.checkedAt, y: r.differing })) },
    { name: 'batches checked', points: reconciliations.runs.map(r => ({ x: r.checkedAt, y: r.batchesChecked })) },
  ], { title: 'Reconciliations: batches checked and differing', yLabel: 'batches' });
  const latest = reconciliations.latest;
  $('reconciliation-latest').textContent = latest
    ? `Last run ${formatTime(latest.run.checkedAt)} (chain head ${latest.run.chainHead}): ${latest.run.batchesChecked} batches checked, `
      + `${latest.run.ok} agree, ${latest.run.pending} pending, ${latest.run.differing} differ.`
    : 'No reconciliation has run yet (an operator runs POST api/admin/reconcile).';
  fillTable($('reconciliation-table'), latest?.differences ?? [], d => [
    [d.batchId === null ? null : String(d.batchId), 'num'], [d.chainBatchId === null ? null : String(d.chainBatchId), 'num'], [d.status], [d.differences.join(' ')],
  ]);
}

async function loadRecords(cursor) {
  const f = filters();
  const page = await getJson('api/audit/records', { ...f, ...recordsWindow, cursor, limit: 50 }, false);
  fillTable($('records-table'), page.items, r => [
    [String(r.id), 'num'], [r.digest, 'mono'], [r.modelHash, 'mono'], [r.node, 'mono'], [r.creator, 'mono'],
    [formatTime(r.timestamp)], [r.state], [r.ledgerSequence === null ? null : String(r.ledgerSequence), 'num'],
  ]);
  recordsCursor = page.nextCursor;
  $('records-next').disabled = !recordsCursor;
}

async function loadBatches(cursor) {
  const page = await getJson('api/audit/batches', { state: $('f-batch-state').value, cursor, limit: 50 }, false);
  fillTable($('batches-table'), page.items, b => [
    [String(b.id), 'num'], [b.state], [String(b.recordCount), 'num'], [b.gasUsed === null ? null : String(b.gasUsed), 'num'],
    [b.gasUsed === null || b.recordCount === 0 ? null : (b.gasUsed / b.recordCount).toFixed(1), 'num'],
    [b.anchoredAt ? formatTime(Date.parse(b.anchoredAt) / 1000) : null], [b.transactionHash, 'mono'],
  ]);
  batchesCursor = page.nextCursor;
  $('batches-next').disabled = !batchesCursor;
}

async function load() {
  const f = filters();
  const range = { from: f.from, to: f.to };
  const series = { model: f.model, node: f.node, creator: f.creator };
  say('Loading…');
  try {
    const summary = await getJson('api/dashboard/summary', range, true);
    recordsWindow = { from: String(summary.from), to: String(summary.to) };
    const [byModel, byNode, anchoring, settlements, reconciliations] = await Promise.all([
      getJson('api/dashboard/records-per-hour', { ...range, ...series, by: 'model' }, true),
      getJson('api/dashboard/records-per-hour', { ...range, ...series, by: 'node' }, true),
      getJson('api/dashboard/anchoring', range, true),
      getJson('api/dashboard/settlements', range, true),
      getJson('api/dashboard/reconciliations', range, true),
    ]);
    await Promise.all([loadRecords(null), loadBatches(null)]);
    showSummary(summary);
    showActivity(byModel, 'plot-models', 'models-table', 'model');
    showActivity(byNode, 'plot-nodes', 'nodes-table', 'node');
    showAnchoring(anchoring);
    showSettlements(settlements);
    showReconciliations(reconciliations);
    $('dashboard').hidden = false;
    say(`Updated ${new Date().toLocaleTimeString()}.`);
  } catch (e) {
    if (e.status === 401) {
      sessionStorage.removeItem(KEY);
      $('dashboard').hidden = true;
      $('key-section').hidden = false;
      say('The key was refused: enter the admin key or the auditor key of this ledger.', true);
    } else {
      say(`Could not load the dashboard: ${e.message}`, true);
    }
  }
}

$('key-form').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  $('key-section').hidden = true;
  load();
});
$('filters').addEventListener('submit', event => { event.preventDefault(); load(); });
$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  $('dashboard').hidden = true;
  $('key-section').hidden = false;
  say('Key forgotten.');
});
$('records-next').addEventListener('click', () => loadRecords(recordsCursor).catch(e => say(e.message, true)));
$('batches-next').addEventListener('click', () => loadBatches(batchesCursor).catch(e => say(e.message, true)));

if (sessionStorage.getItem(KEY)) {
  $('key-section').hidden = true;
  load();
}
