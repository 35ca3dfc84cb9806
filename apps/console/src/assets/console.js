/* global document, window */
// Shows every <time data-viewer> in the viewer's own zone (the server renders each person's zone).
const inViewerZone = (root) => {
  for (const t of root.querySelectorAll('time[data-viewer]')) {
    const d = new Date(t.getAttribute('datetime'));
    if (!Number.isNaN(d.getTime())) t.textContent = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(d);
  }
};
inViewerZone(document);
// and in a live region swapped in by live.js
document.addEventListener('vaops:region-updated', (e) => inViewerZone(e.target));

// Draws every <canvas data-chart> with Chart.js (served by the console), once the library has loaded.
window.addEventListener('load', () => {
  const Chart = window.Chart;
  if (!Chart) return;
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) new Chart(canvas, JSON.parse(canvas.dataset.chart));
});
