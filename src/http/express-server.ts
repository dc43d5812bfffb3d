import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * An HTTP server for an express app whose requests and responses are created with the app's own prototypes.
 *
 * express 5 gives each request and response its prototypes in `app.handle`, with `Object.setPrototypeOf`. In V8,
 * once an object's prototype was changed, each property then added to it (by express's router, node's HTTP code and
 * the app) gives it a map (hidden class) of its own: every property access on a request or a response misses its
 * inline cache and takes the runtime's slow path. A trivial express route cost 7 times the instructions of the same
 * route on node's HTTP server (callgrind). Created with the prototypes express would set, the objects keep shared
 * maps, and express's `setPrototypeOf` changes nothing.
 */
export function createExpressServer(app: Express): Server {
  // Function constructors, not classes: instances must have the app's objects themselves as prototypes.
  function AppRequest(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, req: IncomingMessage, options?: object) {
    (ServerResponse as unknown as (req: IncomingMessage, options?: object) => void).call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return createServer({
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
  });
}
