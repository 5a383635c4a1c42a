// The page's WebSocket, off its main thread (frame-socket.ts): every
// message is parsed and decoded here and posted to the page decoded, in
// the order the socket delivered it.

import { decodeFrameText, type FromSocketWorker, type ToSocketWorker } from './frame-socket';

let socket: WebSocket | null = null;
const post = (message: FromSocketWorker): void => postMessage(message);

onmessage = (event: MessageEvent<ToSocketWorker>) => {
  const message = event.data;
  switch (message.kind) {
    case 'connect': {
      const own = new WebSocket(message.url);
      socket = own;
      // Events of a socket the page has replaced say nothing any more.
      const mine = (): boolean => socket === own;
      own.addEventListener('open', () => mine() && post({ kind: 'open' }));
      own.addEventListener('message', (frame: MessageEvent<unknown>) => {
        if (!mine() || typeof frame.data !== 'string') return;
        const decoded = decodeFrameText(frame.data);
        post('frame' in decoded ? { kind: 'frame', frame: decoded.frame } : { kind: 'badFrame', problem: decoded.problem });
      });
      own.addEventListener('close', () => mine() && post({ kind: 'close' }));
      break;
    }
    case 'send':
      // A socket that closed meanwhile sends nothing; its close event is on its way to the page.
      if (socket?.readyState === WebSocket.OPEN) socket.send(message.text);
      break;
    case 'close':
      socket?.close();
      break;
  }
};
