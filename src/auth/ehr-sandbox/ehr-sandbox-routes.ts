import { Router } from 'express';
import type { Registry } from '../clients-file.js';

export function ehrSandboxRoutes(_parts: { baseUrl: string; registry: Registry }): Router {
  return Router();
}
