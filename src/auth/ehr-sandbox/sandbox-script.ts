/**
 * The EHR sandbox's browser code. It is a SMART client like any other (public, PKCE S256): the practitioner signs
 * in through the authorization server, the sandbox reads patients and encounters with its own token, opens a launch
 * with POST /auth/launch and starts the app with `iss` and `launch`, as an EMR does (app-launch.html
 * #launch-app-ehr-launch). Served as `(sandboxMain)(settings)`: this function must not use anything from its module.
 */
export interface SandboxSettings {
  fhirBase: string;
  authorize: string;
  token: string;
  launch: string;
  clientId: string;
  redirectUri: string;
  lang: 'fr' | 'en';
  text: Record<string, string>;
}

export async function sandboxMain(s: SandboxSettings): Promise<void> {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const status = (message: string) => {
    $('status').textContent = message;
  };
  const b64url = (bytes: ArrayBuffer | Uint8Array) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const store = window.sessionStorage;

  async function signIn(): Promise<void> {
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
    store.setItem('ehr-pkce', JSON.stringify({ verifier, state }));
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: s.clientId,
      redirect_uri: s.redirectUri,
      scope: 'openid fhirUser profile user/Patient.rs user/Encounter.rs',
      aud: s.fhirBase,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ui_locales: s.lang,
    });
    window.location.assign(`${s.authorize}?${params}`);
  }

  async function finishSignIn(code: string, state: string | null): Promise<void> {
    const saved = JSON.parse(store.getItem('ehr-pkce') ?? '{}') as { verifier?: string; state?: string };
    store.removeItem('ehr-pkce');
    window.history.replaceState(null, '', s.redirectUri);
    if (!saved.verifier || saved.state !== state) throw new Error(s.text.badState);
    const res = await fetch(s.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: s.redirectUri, client_id: s.clientId, code_verifier: saved.verifier }),
    });
    const body = (await res.json()) as { access_token?: string; id_token?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(body.error_description ?? `HTTP ${res.status}`);
    const claims = JSON.parse(atob((body.id_token ?? '..').split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { fhirUser?: string; name?: string };
    store.setItem('ehr-token', JSON.stringify({ token: body.access_token, user: claims.name ?? claims.fhirUser ?? '' }));
  }

  async function fhir(path: string, token: string): Promise<{ entry?: { resource: Record<string, unknown> }[] }> {
    const res = await fetch(`${s.fhirBase}/${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
    if (res.status === 401) {
      store.removeItem('ehr-token');
      throw new Error(s.text.expired);
    }
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  }

  function option(select: HTMLSelectElement, value: string, label: string): void {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.append(o);
  }

  function patientLabel(p: Record<string, unknown>): string {
    const name = (p.name as { given?: string[]; family?: string; text?: string }[] | undefined)?.[0];
    const text = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
    return `${text || p.id}${p.birthDate ? ` (${p.birthDate})` : ''}`;
  }

  async function loadEncounters(token: string): Promise<void> {
    const select = $<HTMLSelectElement>('encounter');
    select.replaceChildren();
    option(select, '', s.text.noEncounter);
    const patient = $<HTMLSelectElement>('patient').value;
    if (!patient) return;
    const bundle = await fhir(`Encounter?patient=${encodeURIComponent(patient)}&_count=50`, token);
    for (const e of bundle.entry ?? []) {
      const period = (e.resource.period as { start?: string } | undefined)?.start ?? '';
      option(select, String(e.resource.id), `${e.resource.id} ${period} ${String(e.resource.status ?? '')}`.trim());
    }
  }

  async function launch(token: string): Promise<void> {
    const app = $<HTMLSelectElement>('app');
    const launchUrl = app.selectedOptions[0]?.dataset.launchUrl;
    if (!launchUrl) return;
    const encounter = $<HTMLSelectElement>('encounter').value;
    const intent = $<HTMLInputElement>('intent').value.trim();
    const res = await fetch(s.launch, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: app.value,
        patient: $<HTMLSelectElement>('patient').value || undefined,
        encounter: encounter || undefined,
        need_patient_banner: !$<HTMLInputElement>('embedded').checked,
        smart_style_url: `${s.redirectUri}smart-style.json`,
        intent: intent || undefined,
      }),
    });
    const body = (await res.json()) as { launch?: string; error_description?: string };
    if (!res.ok || !body.launch) throw new Error(body.error_description ?? `HTTP ${res.status}`);
    const url = new URL(launchUrl);
    url.searchParams.set('iss', s.fhirBase);
    url.searchParams.set('launch', body.launch);
    $('launched').textContent = url.href;
    if ($<HTMLInputElement>('embedded').checked) {
      const frame = $<HTMLIFrameElement>('app-frame');
      frame.hidden = false;
      frame.src = url.href;
    } else {
      window.open(url.href, '_blank', 'noopener');
    }
  }

  const guard = (fn: () => Promise<void>) => () => {
    fn().catch((err: Error) => status(err.message));
  };

  try {
    const query = new URLSearchParams(window.location.search);
    const code = query.get('code');
    if (query.get('error')) status(query.get('error_description') ?? String(query.get('error')));
    if (code) await finishSignIn(code, query.get('state'));
    const session = JSON.parse(store.getItem('ehr-token') ?? 'null') as { token: string; user: string } | null;
    $('sign-in').addEventListener('click', guard(signIn));
    if (!session) {
      $('signed-out').hidden = false;
      return;
    }
    $('signed-in').hidden = false;
    $('user').textContent = session.user;
    const patients = $<HTMLSelectElement>('patient');
    const bundle = await fhir('Patient?_count=100&_sort=name', session.token);
    for (const e of bundle.entry ?? []) option(patients, String(e.resource.id), patientLabel(e.resource));
    patients.addEventListener('change', guard(() => loadEncounters(session.token)));
    await loadEncounters(session.token);
    $('launch').addEventListener('click', guard(() => launch(session.token)));
    $('sign-out').addEventListener('click', () => {
      store.removeItem('ehr-token');
      window.location.assign(s.redirectUri);
    });
  } catch (err) {
    status((err as Error).message);
    $('signed-out').hidden = false;
  }
}
