// Page labels in French first and English. Content from the resources is bilingual as "français / English";
// `pickLang` takes the right half so each page reads in one language.
export type Lang = 'fr' | 'en';
export const LANGS: Lang[] = ['fr', 'en'];

const LABELS = {
  siteTitle: { fr: 'Communauté soignante — Guide d’implémentation FHIR', en: 'Caring Community — FHIR Implementation Guide' },
  skip: { fr: 'Aller au contenu', en: 'Skip to content' },
  home: { fr: 'Accueil', en: 'Home' },
  profiles: { fr: 'Profils', en: 'Profiles' },
  extensions: { fr: 'Extensions', en: 'Extensions' },
  terminology: { fr: 'Terminologie', en: 'Terminology' },
  codeSystems: { fr: 'Systèmes de codes', en: 'Code systems' },
  valueSets: { fr: 'Jeux de valeurs', en: 'Value sets' },
  conceptMaps: { fr: 'Correspondances', en: 'Concept maps' },
  searchParameters: { fr: 'Paramètres de recherche', en: 'Search parameters' },
  examples: { fr: 'Exemples', en: 'Examples' },
  download: { fr: 'Télécharger le paquet FHIR', en: 'Download the FHIR package' },
  otherLang: { fr: 'English', en: 'Français' },
  otherLangCode: { fr: 'en', en: 'fr' },
  languageSwitch: { fr: 'Read this page in English', en: 'Lire cette page en français' },
  base: { fr: 'Ressource de base', en: 'Base resource' },
  canonical: { fr: 'URL canonique', en: 'Canonical URL' },
  elements: { fr: 'Éléments', en: 'Elements' },
  elementsCaption: {
    fr: 'Éléments du profil (vue complète). Les lignes surlignées sont celles que le profil modifie.',
    en: 'Profile elements (snapshot). Highlighted rows are the ones this profile changes.',
  },
  path: { fr: 'Élément', en: 'Element' },
  card: { fr: 'Card.', en: 'Card.' },
  type: { fr: 'Type', en: 'Type' },
  binding: { fr: 'Liaison', en: 'Binding' },
  mustSupport: { fr: 'Doit être supporté', en: 'Must support' },
  msShort: { fr: 'DS', en: 'MS' },
  description: { fr: 'Description', en: 'Description' },
  invariants: { fr: 'Invariants', en: 'Invariants' },
  key: { fr: 'Clé', en: 'Key' },
  severity: { fr: 'Sévérité', en: 'Severity' },
  expression: { fr: 'Expression FHIRPath', en: 'FHIRPath expression' },
  why: { fr: 'Pourquoi', en: 'Why' },
  changed: { fr: 'modifié par le profil', en: 'changed by this profile' },
  code: { fr: 'Code', en: 'Code' },
  displayFr: { fr: 'Affichage (fr-CA)', en: 'Display (fr-CA)' },
  displayEn: { fr: 'Affichage (en-CA)', en: 'Display (en-CA)' },
  definition: { fr: 'Définition', en: 'Definition' },
  concepts: { fr: 'Concepts', en: 'Concepts' },
  include: { fr: 'Contenu', en: 'Content' },
  allCodesOf: { fr: 'Tous les codes de', en: 'All codes of' },
  target: { fr: 'Cible', en: 'Target' },
  equivalence: { fr: 'Équivalence', en: 'Equivalence' },
  comment: { fr: 'Commentaire', en: 'Comment' },
  source: { fr: 'Source', en: 'Source' },
  base2: { fr: 'Ressource', en: 'Resource' },
  examplesOfProfile: { fr: 'Exemples conformes', en: 'Conforming examples' },
  noExamples: { fr: 'Aucun exemple.', en: 'No example.' },
  invalidExamples: { fr: 'Exemples non conformes (pour les tests)', en: 'Non-conforming examples (for testing)' },
  invalidExamplesIntro: {
    fr: 'Chaque exemple enfreint délibérément une règle de ce profil\u00a0; un validateur doit le rejeter. Ils ne font pas partie du paquet.',
    en: 'Each example deliberately breaks one rule of this profile; a validator must reject it. They are not part of the package.',
  },
  file: { fr: 'Fichier', en: 'File' },
  breaks: { fr: 'Règle enfreinte', en: 'Rule broken' },
  rawJson: { fr: 'JSON brut', en: 'Raw JSON' },
  context: { fr: 'Contexte d’utilisation', en: 'Context of use' },
  version: { fr: 'Version', en: 'Version' },
  status: { fr: 'Statut', en: 'Status' },
  fullDescription: { fr: 'Description normative (StructureDefinition)', en: 'Normative description (StructureDefinition)' },
  footer: {
    fr: 'Guide en version préliminaire (draft), FHIR R4 4.0.1. Publié sous licence Apache-2.0.',
    en: 'Draft guide, FHIR R4 4.0.1. Published under the Apache-2.0 licence.',
  },
} satisfies Record<string, Record<Lang, string>>;

export type LabelKey = keyof typeof LABELS;

export function t(lang: Lang, key: LabelKey): string {
  return LABELS[key][lang];
}

/**
 * Picks one language from a bilingual "français / English" text. Paragraphs without the separator are kept as they
 * are (the guide's longer rationale is written in English in the resources; the pages add French prose of their own).
 */
export function pickLang(text: string | undefined, lang: Lang): string {
  return pickLangParagraphs(text, lang)
    .map((p) => p.text)
    .join('\n\n');
}

/**
 * Like pickLang, paragraph by paragraph, saying which language each paragraph is in: a paragraph without the
 * separator is English (the resources' rationale, the core specification's texts), so a French page can mark it
 * with lang="en-CA" for screen readers.
 */
export function pickLangParagraphs(text: string | undefined, lang: Lang): { text: string; lang: Lang }[] {
  if (!text) return [];
  return text.split(/\n\s*\n/).map((paragraph) => {
    const parts = paragraph.split(' / ');
    if (parts.length !== 2) return { text: paragraph, lang: 'en' as Lang };
    return { text: (lang === 'fr' ? parts[0] : parts[1]).trim(), lang };
  });
}

export function bcp47(lang: Lang): string {
  return lang === 'fr' ? 'fr-CA' : 'en-CA';
}

/** A label followed by a colon, with the non-breaking space French typography puts before it. */
export function withColon(lang: Lang, text: string): string {
  return lang === 'fr' ? `${text}\u00a0:` : `${text}:`;
}
