// The baseline of the realtime benchmark: a bare Socket.IO relay with Kefu's event names and no
// persistence, validation or logic. A customer's `message:send` goes to the agents in the
// conversation's room and is acknowledged at once. Prints its port on stdout.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { path: '/socket.io', cors: { origin: true } });
const agents = io.of('/agent');

agents.on('connection', (socket) => {
  socket.on('conversation:join', ({ conversationId }, ack) => {
    socket.join(`conversation:${conversationId}`);
    ack?.({ ok: true });
  });
});

io.of('/customer').on('connection', (socket) => {
  socket.on('message:send', (payload, ack) => {
    agents.to(`conversation:${payload.conversationId}`).emit('message:new', {
      conversationId: payload.conversationId,
      clientMessageId: payload.clientMessageId,
      text: payload.text,
    });
    ack?.({ ok: true });
  });
});

http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: http.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
