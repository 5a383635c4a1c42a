// Loaded with --import into a forked child: gives it the process.parentPort
// that Electron gives a utility process. As Electron's, it delivers
// messages as { data } and holds them until the first 'message' listener
// is attached (the port starts then), so none sent early is lost.
import { EventEmitter } from 'node:events';

const parentPort = new EventEmitter();
const held = [];
parentPort.postMessage = (message) => process.send(message);
parentPort.on('newListener', (event) => {
  if (event !== 'message') return;
  // Deliver after the listener is in place.
  queueMicrotask(() => {
    for (const message of held.splice(0)) parentPort.emit('message', { data: message });
  });
});
process.on('message', (message) => {
  if (parentPort.listenerCount('message') === 0 || held.length > 0) held.push(message);
  else parentPort.emit('message', { data: message });
});
process.parentPort = parentPort;
