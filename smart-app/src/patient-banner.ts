/** The patient banner, shown when the EHR says it has none of its own (need_patient_banner). */
import type { Patient } from 'fhir/r4.js';
import { h } from './h.js';
import { formatDate, type Messages } from './i18n/index.js';
import { personName } from './resources.js';
import type { Lang } from './terminology.js';

export function patientBanner(patient: Patient, t: Messages, lang: Lang): HTMLElement {
  const ramq = patient.identifier?.find((i) => /ramq|ca-qc-patient-healthcare-id/i.test(i.system ?? '') || i.type?.coding?.some((c) => c.code === 'JHN'));
  const item = (term: string, value: string | undefined) => (value ? [h('dt', {}, term), h('dd', {}, value)] : []);
  return h('section', { class: 'banner', 'aria-label': t.banner.label },
    h('p', { class: 'banner-name' }, personName(patient)),
    h('dl', {},
      item(t.banner.born, formatDate(patient.birthDate, lang)),
      item(t.banner.genderLabel, t.banner.gender[patient.gender ?? ''] ?? patient.gender),
      item(t.banner.healthNumber, ramq?.value)));
}
