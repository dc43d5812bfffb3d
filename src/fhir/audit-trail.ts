import type { AuditEvent, AuditEventAgent, AuditEventEntity } from 'fhir/r4.js';
import type { Repository } from '../storage/repository.js';
import type { AccessContext } from './access-context.js';
import { patientCompartmentParams } from './compartment.js';

export interface AccessRecord {
  access: AccessContext;
  interaction: string;
  method: string;
  type?: string;
  id?: string;
  query?: string;
  status: number;
}

/** Events written per transaction when flushing. */
const FLUSH_CHUNK = 100;

const ACTIONS: Record<string, AuditEvent['action']> = { POST: 'C', GET: 'R', HEAD: 'R', PUT: 'U', PATCH: 'U', DELETE: 'D' };

/**
 * Records an AuditEvent (R4 auditevent.html, the IHE BALP "RESTful" pattern) for each access to patient data:
 * who, through which client, what, when and with which outcome. Events are buffered and written together shortly
 * after, through the store's transactions of writes alone (off the thread that serves requests where the store
 * can), so that auditing a read does not make every read a synchronous write.
 */
export class AuditTrail {
  private pending: (AuditEvent & { id: string })[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: Repository,
    private readonly newId: () => string,
    private readonly onError: (err: Error) => void,
    private readonly delayMs = 200,
  ) {}

  /** Whether an interaction on this type touches patient data and must be audited. */
  static concernsPatientData(type: string | undefined): boolean {
    return type === undefined || type === 'Patient' || patientCompartmentParams()[type] !== undefined;
  }

  record(entry: AccessRecord): void {
    this.pending.push(toAuditEvent(entry, this.newId()));
    if (!this.timer) {
      // The server's own handles keep the process alive; close() flushes what is pending.
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Writes what is pending; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      // In chunks, each a transaction of its own: SQLite's other writes wait while one commits (on its background
      // writer; the store runs one write transaction at a time), for as long as a hundred events take, not thousands.
      for (let i = 0; i < batch.length; i += FLUSH_CHUNK) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        await this.repo.createMany(batch.slice(i, i + FLUSH_CHUNK)).catch((err: Error) => this.onError(err));
      }
    });
    return this.flushing;
  }
}

/** The event, its id given when it is built: copies made later to add one missed their inline caches (--log-ic). */
function toAuditEvent(entry: AccessRecord, id: string): AuditEvent & { id: string } {
  const { access } = entry;
  const client = { identifier: { system: 'urn:ietf:params:oauth:client-id', value: access.clientId } };
  const agents: AuditEventAgent[] = [
    {
      type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110153', display: 'Source Role ID' }] },
      who: client,
      requestor: !access.fhirUser,
    },
  ];
  if (access.fhirUser) agents.unshift({ who: { reference: access.fhirUser }, requestor: true, altId: access.subject });
  const entities: AuditEventEntity[] = [];
  if (entry.type && entry.id) entities.push({ what: { reference: `${entry.type}/${entry.id}` }, type: domainObject() });
  if (access.patient) {
    entities.push({
      what: { reference: `Patient/${access.patient}` },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
  }
  if (entry.query) entities.push({ type: domainObject(), query: Buffer.from(entry.query).toString('base64'), description: entry.type });
  return {
    resourceType: 'AuditEvent',
    id,
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: entry.interaction }],
    action: entry.interaction.startsWith('search') ? 'E' : (ACTIONS[entry.method] ?? 'E'),
    recorded: new Date().toISOString(),
    // 0 success, 4 minor failure (refused or not found), 8 serious failure
    outcome: entry.status < 400 ? '0' : entry.status < 500 ? '4' : '8',
    outcomeDesc: `HTTP ${entry.status}`,
    agent: agents,
    source: { observer: { display: 'Caring Community FHIR' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }] },
    entity: entities.length ? entities : undefined,
  };
}

function domainObject() {
  return { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' };
}
