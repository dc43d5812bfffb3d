// Prose of the pages, in French and English. The resources carry the normative text; these paragraphs explain the
// model to a reader who does not know it yet.
import type { Lang } from './i18n.js';

export const HOME_INTRO: Record<Lang, string[]> = {
  fr: [
    'La **Communauté soignante** est un modèle de soins de première ligne né à Montréal (CEPPP, Centre-Sud, depuis 2017). Des **pairs** — des personnes ayant une expérience de vie significative — se joignent à l’équipe de soins comme alliés. Ils écoutent, mettent la personne en relation avec les professionnels, ses proches et les ressources du quartier, et l’accompagnent vers les **objectifs de vie qu’elle se fixe, à son propre rythme**.',
    'Le **clinicien partenaire** intègre le pair à l’équipe et lui présente la personne (une présentation, pas une référence professionnelle). Le **patient partenaire** apporte son expérience de la maladie et des soins; le **citoyen partenaire**, sa connaissance du quartier et de l’entraide. Les **proches** font partie de l’équipe si la personne le souhaite.',
    'Ce guide décrit ces informations en FHIR R4 pour qu’un DME, une application SMART et les autorités de santé les échangent : l’équipe avec ses pairs, le consentement de la personne à partager une partie de son dossier avec un pair nommé, ses objectifs de vie dans ses propres mots et le plan d’accompagnement.',
  ],
  en: [
    '**Caring Community** (*Communauté soignante*) is a primary-care model born in Montréal (CEPPP, Centre-Sud, since 2017). **Peers** — people with significant lived experience — join the care team as allies. They listen, connect the person with professionals, relatives and neighbourhood resources, and accompany the person toward the **life goals the person sets, at the person’s own pace**.',
    'The **clinician partner** integrates the peer into the team and introduces the person to the peer (an introduction, not a professional referral). The **patient partner** brings lived experience of illness and care; the **citizen partner** brings knowledge of the neighbourhood and of mutual aid. **Relatives** are part of the team when the person wishes.',
    'This guide expresses that information in FHIR R4 so that an EMR, a SMART app and health authorities can exchange it: the team with its peers, the person’s consent to share part of their record with a named peer, their life goals in their own words, and the peer-support care plan.',
  ],
};

export const DOWNLOAD_TEXT: Record<Lang, string> = {
  fr: 'Le paquet FHIR NPM (`ca.communautesoignante.fhir`, version 0.1.0, dépend seulement de `hl7.fhir.r4.core` 4.0.1) contient les profils avec leur vue complète (snapshot), la terminologie, les paramètres de recherche et les exemples. Chargez-le dans votre validateur ou votre serveur.',
  en: 'The FHIR NPM package (`ca.communautesoignante.fhir`, version 0.1.0, depends only on `hl7.fhir.r4.core` 4.0.1) holds the profiles with their snapshots, the terminology, the search parameters and the examples. Load it into your validator or server.',
};

/** Why each profile exists and why it is shaped as it is, per language (keyed by StructureDefinition id). */
export const PROFILE_INTRO: Record<string, Record<Lang, string>> = {
  'peer-supporter': {
    fr: 'Un pair est modélisé comme **RelatedPerson**, et non comme Practitioner. RelatedPerson est rattaché à une seule personne (patient-scoped) : une application SMART lancée dans le dossier peut le créer sans droits d’écriture généraux sur les praticiens, et la relation avec le pair commence, change et se termine avec cette personne. Un même pair a donc **un RelatedPerson par personne accompagnée**, tous liés par le même **identifiant de programme**. Le rôle (patient partenaire ou citoyen partenaire) est obligatoire.',
    en: 'A peer is modelled as a **RelatedPerson**, not a Practitioner. RelatedPerson is patient-scoped: a SMART app launched on the chart can create it without broad write access to practitioners, and the relationship with the peer starts, changes and ends with that one person. The same peer therefore has **one RelatedPerson per person accompanied**, all linked by the same **programme identifier**. The peer role (patient partner or citizen partner) is required.',
  },
  'peer-care-team': {
    fr: 'L’équipe de la personne : la personne elle-même, le clinicien partenaire, les pairs et les proches, distingués par leur **rôle**. Un pair entre dans l’équipe à la date de début de sa participation et en sort à sa date de fin : **on ne supprime jamais l’historique**. On met à jour une seule équipe (le serveur conserve les versions) plutôt que d’en créer une nouvelle.',
    en: 'The person’s team: the person, the clinician partner, the peers and the relatives, told apart by their **role**. A peer joins the team on the start date of their participation and leaves it on its end date: **history is never deleted**. Update one team (the server keeps versions) rather than creating a new one.',
  },
  'peer-support-care-plan': {
    fr: 'Le plan d’accompagnement réunit les **objectifs de vie** de la personne (au moins un) et les **activités des pairs** : quel pair fait quoi, et à quel rythme (souvent une rencontre par semaine). Sa catégorie permet au DME de le distinguer des plans de soins cliniques.',
    en: 'The peer-support plan brings together the person’s **life goals** (at least one) and the **peer activities**: which peer does what, and how often (often a weekly meeting). Its category lets an EMR tell it apart from clinical care plans.',
  },
  'life-goal': {
    fr: 'Un objectif de vie est **écrit dans les mots de la personne** (`description.text`), exprimé par elle (ou par son représentant) et classé par **domaine de vie**. Aucune date cible n’est exigée : la personne avance à son rythme. Un objectif terminé dit s’il a été atteint.',
    en: 'A life goal is **written in the person’s own words** (`description.text`), expressed by the person (or a substitute decision-maker) and grouped by **life domain**. No target date is required: the person moves at their own pace. A completed goal says whether it was achieved.',
  },
  'peer-access-consent': {
    fr: 'Le consentement de la personne à partager une partie de son dossier avec **un pair nommé**, pour **une période donnée**, comme l’exige la loi québécoise sur les renseignements de santé et de services sociaux (R-22.1). Tout est refusé par défaut; une permission imbriquée ouvre au pair seulement le plan, les objectifs et l’équipe.',
    en: 'The person’s consent to share part of their record with **a named peer**, for **a stated period**, as Québec’s law on health and social services information (R-22.1) requires. Everything is denied by default; a nested permit opens only the plan, the goals and the team to the peer.',
  },
  'introduced-by': {
    fr: 'Le clinicien partenaire **présente** la personne au pair : ce n’est pas une référence professionnelle. Cette extension de CareTeam.participant garde la trace de qui a fait la présentation.',
    en: 'The clinician partner **introduces** the person to the peer: this is not a professional referral. This extension on CareTeam.participant records who made the introduction.',
  },
};
