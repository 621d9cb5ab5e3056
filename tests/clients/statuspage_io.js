// What npm's statuspage.io 3.1.1 client reports for a candor site: every call it offers, against
// the base URL given (the site's root or a subpath). Prints one JSON object; the caller asserts.
'use strict';
const { Statuspage } = require('statuspage.io');

async function main() {
  const base = process.argv[2];
  // The client takes a Statuspage page id; setApiUrl points it at any host, as its docs say.
  const client = new Statuspage('candor');
  client.setApiUrl(base);
  const summary = await client.api.getSummary();
  const status = await client.api.getStatus();
  const components = await client.api.getComponents();
  const all = await client.api.incidents.getAll();
  const unresolved = await client.api.incidents.getUnresolved();
  const windows = await client.api.scheduledMaintenances.getAll();
  const upcoming = await client.api.scheduledMaintenances.getUpcoming();
  const first = all.incidents[0];
  const updates = first ? first.incident_updates : [];
  console.log(JSON.stringify({
    indicator: status.status.indicator,
    summary_indicator: summary.status.indicator,
    page_id: status.page.id,
    components: components.components.length,
    down: components.components.filter((c) => !c.group && c.status !== 'operational').map((c) => c.name),
    incidents: all.incidents.map((i) => [i.name, i.status, i.impact]),
    unresolved: unresolved.incidents.map((i) => i.name),
    summary_unresolved: summary.incidents.map((i) => i.name),
    latest_update: updates[0] ? updates[0].status : null,
    latest_affected: updates[0] && updates[0].affected_components
      ? updates[0].affected_components.map((c) => [c.name, c.old_status, c.new_status])
      : null,
    windows: windows.scheduled_maintenances.map((m) => [m.name, m.status, m.impact]),
    upcoming: upcoming.scheduled_maintenances.length,
  }));
}

main().catch((e) => {
  console.error(`statuspage.io failed: ${e.message}`);
  process.exit(1);
});
