import { Client } from 'fhir-kit-client';
import { STORES } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The server driven by fhir-kit-client, a real FHIR client, the way integrators use it. */
describe.each(STORES)('fhir-kit-client against the server (%s)', (store) => {
  let t: TestServer;
  let client: Client;
  beforeAll(async () => {
    t = await startTestServer(store);
    client = new Client({ baseUrl: t.base, bearerToken: await t.token() });
  });
  afterAll(async () => t.stop());

  test('capability statement, create, read, update, search, history, delete', async () => {
    const capabilities = (await client.capabilityStatement()) as unknown as { fhirVersion: string };
    expect(capabilities.fhirVersion).toBe('4.0.1');

    const created = (await client.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', name: [{ family: 'Lefebvre', given: ['Marie'] }], gender: 'female' },
    })) as unknown as { id: string; meta: { versionId: string } };
    expect(created.meta.versionId).toBe('1');

    const read = (await client.read({ resourceType: 'Patient', id: created.id })) as unknown as { name: { family: string }[] };
    expect(read.name[0].family).toBe('Lefebvre');

    const updated = (await client.update({
      resourceType: 'Patient',
      id: created.id,
      body: { ...read, resourceType: 'Patient', birthDate: '1970-01-01' },
    })) as unknown as { meta: { versionId: string } };
    expect(updated.meta.versionId).toBe('2');

    const found = (await client.search({ resourceType: 'Patient', searchParams: { family: 'lefeb', _count: '10' } })) as unknown as { total: number };
    expect(found.total).toBe(1);

    const history = (await client.history({ resourceType: 'Patient', id: created.id })) as unknown as { entry: unknown[] };
    expect(history.entry).toHaveLength(2);

    const vread = (await client.vread({ resourceType: 'Patient', id: created.id, version: '1' })) as unknown as { birthDate?: string };
    expect(vread.birthDate).toBeUndefined();

    await client.delete({ resourceType: 'Patient', id: created.id });
    await expect(client.read({ resourceType: 'Patient', id: created.id })).rejects.toMatchObject({ response: { status: 410 } });
  });

  test('paging with nextPage and prevPage', async () => {
    for (let i = 0; i < 5; i++) {
      await client.create({ resourceType: 'Observation', body: { resourceType: 'Observation', status: 'final', code: { text: `kit-${i}` } } });
    }
    const first = (await client.search({ resourceType: 'Observation', searchParams: { _count: '2', _sort: '_id' } })) as unknown as { entry: { resource: { id: string } }[] };
    const second = (await client.nextPage({ bundle: first } as never)) as unknown as { entry: { resource: { id: string } }[] };
    const third = (await client.nextPage({ bundle: second } as never)) as unknown as { entry: { resource: { id: string } }[]; link: { relation: string }[] };
    const seen = [...first.entry, ...second.entry, ...third.entry].map((e) => e.resource.id);
    expect(new Set(seen).size).toBe(5);
    const back = (await client.prevPage({ bundle: third } as never)) as unknown as { entry: { resource: { id: string } }[] };
    expect(back.entry.map((e) => e.resource.id)).toEqual(second.entry.map((e) => e.resource.id));
  });

  test('transaction and batch', async () => {
    const response = (await client.transaction({
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:3b3f0e5e-0c1a-4a5e-9d7c-000000000001', resource: { resourceType: 'Patient', name: [{ family: 'Kit' }] }, request: { method: 'POST', url: 'Patient' } },
          {
            resource: { resourceType: 'Observation', status: 'final', code: { text: 'kit' }, subject: { reference: 'urn:uuid:3b3f0e5e-0c1a-4a5e-9d7c-000000000001' } },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
    })) as unknown as { entry: { response: { status: string } }[] };
    expect(response.entry.map((e) => e.response.status)).toEqual(['201', '201']);
    const batch = (await client.batch({
      body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?family=kit' } }] },
    })) as unknown as { entry: { resource: { total: number } }[] };
    expect(batch.entry[0].resource.total).toBe(1);
  });

  test('errors surface as OperationOutcomes to the client', async () => {
    await expect(client.read({ resourceType: 'Patient', id: 'missing' })).rejects.toMatchObject({
      response: { status: 404, data: { resourceType: 'OperationOutcome' } },
    });
  });
});
