/**
 * Prints a `passwordHash` for an account of the clients file (scrypt, random salt):
 *   npx tsx scripts/hash-password.ts 'the password'
 */
import { randomBytes, scryptSync } from 'node:crypto';

const password = process.argv[2];
if (!password) {
  console.error("usage: hash-password.ts '<password>'");
  process.exit(2);
}
const salt = randomBytes(16).toString('hex');
console.log(`scrypt$${salt}$${scryptSync(password, salt, 32).toString('hex')}`);
