/**
 * The guide's local code systems with their fr-CA and en-CA designations, bundled in the app so that it works against
 * any R4 server (one that never loaded the guide's CodeSystems included). Kept equal to profiles/input/fsh/codesystems
 * by tests/e2e/smart-app-terminology.test.ts.
 */
import type { Coding, CodeableConcept, Extension } from 'fhir/r4.js';

export type Lang = 'fr' | 'en';

export interface Concept {
  code: string;
  fr: string;
  en: string;
}

const CS = 'https://fhir.communautesoignante.ca/CodeSystem/';
export const SYSTEMS = {
  careTeamRole: `${CS}care-team-role`,
  peerActivity: `${CS}peer-activity`,
  lifeDomain: `${CS}life-domain`,
  careplanCategory: `${CS}careplan-category`,
  goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
} as const;

export const PROGRAMME_ID_SYSTEM = 'https://fhir.communautesoignante.ca/identifier/peer-programme';
export const PROFILES = {
  peerSupporter: 'https://fhir.communautesoignante.ca/StructureDefinition/peer-supporter',
  careTeam: 'https://fhir.communautesoignante.ca/StructureDefinition/peer-care-team',
  carePlan: 'https://fhir.communautesoignante.ca/StructureDefinition/peer-support-care-plan',
  lifeGoal: 'https://fhir.communautesoignante.ca/StructureDefinition/life-goal',
  consent: 'https://fhir.communautesoignante.ca/StructureDefinition/peer-access-consent',
} as const;
export const INTRODUCED_BY = 'https://fhir.communautesoignante.ca/StructureDefinition/introduced-by';

const c = (code: string, fr: string, en: string): Concept => ({ code, fr, en });

export const CARE_TEAM_ROLES: Concept[] = [
  c('clinicien-partenaire', 'Clinicien partenaire', 'Clinician partner'),
  c('patient-partenaire', 'Patient partenaire', 'Patient partner'),
  c('citoyen-partenaire', 'Citoyen partenaire', 'Citizen partner'),
  c('proche', 'Proche', 'Relative or close one'),
  c('personne-accompagnee', 'Personne accompagnée', 'Person accompanied'),
];
export const PEER_ROLE_CODES = ['patient-partenaire', 'citoyen-partenaire'] as const;
export type PeerRole = (typeof PEER_ROLE_CODES)[number];

export const PEER_ACTIVITIES: Concept[] = [
  c('ecoute-active', 'Écoute active', 'Active listening'),
  c('accompagnement', 'Accompagnement', 'Accompaniment'),
  c('liaison-ressource-communautaire', 'Liaison avec une ressource communautaire', 'Linking with a community resource'),
  c('liaison-proches', 'Liaison avec les proches', 'Linking with relatives'),
  c('liaison-professionnel', 'Liaison avec un professionnel', 'Linking with a professional'),
  c('developpement-autosoins', "Développement des compétences d'autosoins", 'Developing self-care skills'),
  c('integration-sociale', 'Intégration sociale', 'Social integration'),
  c('entraide', 'Entraide', 'Mutual aid'),
  c('presentation-pair', 'Présentation au pair', 'Introduction to the peer'),
];

export const LIFE_DOMAINS: Concept[] = [
  c('sante', 'Santé', 'Health'),
  c('isolement-lien-social', 'Isolement et lien social', 'Isolation and social connection'),
  c('projet-de-vie', 'Projet de vie', 'Life project'),
  c('logement', 'Logement', 'Housing'),
  c('revenu', 'Revenu', 'Income'),
  c('emploi-occupation', 'Emploi et occupation', 'Employment and occupation'),
  c('proches-famille', 'Proches et famille', 'Relatives and family'),
  c('loisirs-participation-citoyenne', 'Loisirs et participation citoyenne', 'Leisure and civic participation'),
  c('bien-etre-emotionnel', 'Bien-être émotionnel', 'Emotional well-being'),
  c('acces-aux-services', 'Accès aux services', 'Access to services'),
  c('autonomie', 'Autonomie', 'Autonomy'),
];

export const CAREPLAN_CATEGORY = c('plan-accompagnement-pair', "Plan d'accompagnement par les pairs", 'Peer-support care plan');

/** R4 goal-achievement codes (core terminology, English display per the code system). */
export const GOAL_ACHIEVEMENT: Concept[] = [
  c('in-progress', 'En cours', 'In progress'),
  c('improving', 'En amélioration', 'Improving'),
  c('worsening', 'En régression', 'Worsening'),
  c('no-change', 'Sans changement', 'No change'),
  c('achieved', 'Atteint', 'Achieved'),
  c('sustaining', 'Maintenu', 'Sustaining'),
  c('not-achieved', 'Non atteint', 'Not achieved'),
  c('no-progress', 'Aucun progrès', 'No progress'),
  c('not-attainable', 'Non atteignable', 'Not attainable'),
];
const ACHIEVEMENT_EN_DISPLAY: Record<string, string> = Object.fromEntries(GOAL_ACHIEVEMENT.map((x) => [x.code, x.en]));

/** The label of a code in the UI language; falls back to the coding's own display, then the code. */
export function label(concepts: Concept[], code: string | undefined, lang: Lang, fallback?: string): string {
  const found = concepts.find((x) => x.code === code);
  return found ? found[lang] : (fallback ?? code ?? '');
}

/** The display of a coding in `lang`: the local designation, else the translation extension, else display. */
export function codingLabel(coding: Coding | undefined, lang: Lang): string {
  if (!coding) return '';
  const table = conceptsOf(coding.system);
  if (table) return label(table, coding.code, lang, coding.display);
  if (lang === 'en') {
    const translated = translation(coding._display?.extension, 'en');
    if (translated) return translated;
  }
  return coding.display ?? coding.code ?? '';
}

export function conceptLabel(concept: CodeableConcept | undefined, lang: Lang): string {
  const coding = concept?.coding?.[0];
  return coding ? codingLabel(coding, lang) : (concept?.text ?? '');
}

function conceptsOf(system: string | undefined): Concept[] | undefined {
  switch (system) {
    case SYSTEMS.careTeamRole:
      return CARE_TEAM_ROLES;
    case SYSTEMS.peerActivity:
      return PEER_ACTIVITIES;
    case SYSTEMS.lifeDomain:
      return LIFE_DOMAINS;
    case SYSTEMS.careplanCategory:
      return [CAREPLAN_CATEGORY];
    case SYSTEMS.goalAchievement:
      return GOAL_ACHIEVEMENT;
    default:
      return undefined;
  }
}

function translation(extensions: Extension[] | undefined, lang: Lang): string | undefined {
  for (const ext of extensions ?? []) {
    if (ext.url !== 'http://hl7.org/fhir/StructureDefinition/translation') continue;
    const l = ext.extension?.find((e) => e.url === 'lang')?.valueCode ?? '';
    if (l.startsWith(lang)) return ext.extension?.find((e) => e.url === 'content')?.valueString;
  }
  return undefined;
}

/**
 * A CodeableConcept in the guide's style: French display (the code systems' language) with the en-CA translation
 * extension, as in examples/story, so any reader sees both languages.
 */
export function frenchConcept(system: string, concepts: Concept[], code: string): CodeableConcept {
  const found = concepts.find((x) => x.code === code);
  if (!found) throw new Error(`unknown code ${code} in ${system}`);
  const coding: Coding = { system, code, display: found.fr };
  if (system !== SYSTEMS.goalAchievement) {
    coding._display = {
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/translation',
          extension: [
            { url: 'lang', valueCode: 'en-CA' },
            { url: 'content', valueString: found.en },
          ],
        },
      ],
    };
  } else {
    coding.display = ACHIEVEMENT_EN_DISPLAY[code];
  }
  return { coding: [coding], text: found.fr };
}
