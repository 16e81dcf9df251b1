import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** A bcrypt hash in modular crypt format: `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 53 characters. */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/** How many verified credentials are remembered, so each scrape does not pay for a bcrypt comparison. */
const CACHE_SIZE = 64;

/**
 * Checks HTTP basic auth credentials against bcrypt hashes. Verified credentials are
 * cached by a SHA-256 digest, never in plain text. An unknown user name costs one bcrypt
 * comparison too, so response times do not reveal which names exist.
 */
export class BasicAuth {
  readonly #users: Map<string, string>;
  readonly #verified = new Set<string>();
  #decoy: Promise<string> | undefined;

  /** `users` maps each user name to a bcrypt hash of its password. */
  constructor(users: Readonly<Record<string, string>>) {
    this.#users = new Map(Object.entries(users));
  }

  /** Resolves `true` when the `Authorization` header carries a known user and its password. */
  async verify(authorization: string | undefined): Promise<boolean> {
    const credentials = parseBasic(authorization);
    if (credentials === undefined) return false;

    const { user, password } = credentials;
    const key = createHash('sha256').update(user).update('\0').update(password).digest('hex');
    if (this.#verified.has(key)) return true;

    const hash = this.#users.get(user);
    if (hash === undefined) {
      await bcrypt.compare(password, await this.#decoyHash());
      return false;
    }
    if (!(await bcrypt.compare(password, hash))) return false;

    if (this.#verified.size >= CACHE_SIZE) this.#verified.clear();
    this.#verified.add(key);
    return true;
  }

  /** A hash of a random password at the cost of the first configured hash. */
  #decoyHash(): Promise<string> {
    const first = this.#users.values().next().value;
    const rounds = first === undefined ? 10 : bcrypt.getRounds(first);
    this.#decoy ??= bcrypt.hash(randomBytes(16).toString('hex'), rounds);
    return this.#decoy;
  }
}

function parseBasic(authorization: string | undefined): { user: string; password: string } | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (match === null) return undefined;

  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
