// Loaded with `node --import` before Portkey's server. Portkey listens on every interface and has no option for
// the address; the benchmark keeps all its servers on loopback, so a listen() without a host gets 127.0.0.1.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, host, ...rest) {
  if (typeof port === 'number' && (host === undefined || typeof host === 'function')) {
    return listen.call(this, port, '127.0.0.1', ...(host === undefined ? rest : [host, ...rest]));
  }
  return listen.call(this, port, host, ...rest);
};
