Profile: LifeGoal
Parent: Goal
Id: life-goal
Title: "Objectif de vie / Life goal"
Description: """
Un objectif que la personne se fixe, dans ses propres mots. / A goal the person sets, in their own words.

Peers accompany the person toward *life goals the person sets, at their own pace*: the goal's text is the person's
sentence (`description.text`, required; a code is optional and never replaces the words), `expressedBy` says who set
it (the person, or a substitute decision-maker as RelatedPerson), and there is no required target date. Progress is
recorded with `achievementStatus` and notes; the person's agreement with the goal uses the core goal-acceptance
extension.
"""
* ^status = #draft
* ^experimental = false
* obeys cs-goal-1
* extension contains $goal-acceptance named acceptance 0..* MS
* extension[acceptance] ^requirements = "Records that the person agrees with the goal as written, and whether the team shares it."
* lifecycleStatus MS
* achievementStatus MS
* achievementStatus ^requirements = "How far the person feels they are toward the goal; needed when the goal is completed (cs-goal-1)."
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "At least one life-domain category, recognised by its code system."
* category contains lifeDomain 1..* MS
* category[lifeDomain] ^patternCodeableConcept.coding[0].system = $life-domain
* category[lifeDomain] from LifeDomainVS (required)
* category[lifeDomain] ^short = "Domaine de vie / Life domain"
* category[lifeDomain] ^requirements = "Lets teams and health authorities group life goals without rewriting the person's words."
* description MS
* description.text 1..1 MS
* description.text ^short = "L'objectif dans les mots de la personne / The goal in the person's own words"
* description.text ^requirements = "The goal belongs to the person; a coded summary would put professional words in their mouth."
* subject MS
* subject only Reference(Patient)
* start[x] MS
* target ^requirements = "No target date is required: the person moves at their own pace."
* expressedBy 1..1 MS
* expressedBy only Reference(Patient or RelatedPerson)
* expressedBy ^short = "La personne (ou son représentant) / The person (or a substitute decision-maker)"
* expressedBy ^requirements = "Shows the goal was set by the person, not by the team."
* note MS
* note ^requirements = "Peers and the person write how things are going, in their words."
* lifecycleStatus ^requirements = "Whether the person is still working toward the goal; with achievementStatus it tells the team where things stand."
* category ^requirements = "Sliced so that at least one category is a life domain; other categories may be added by the EMR."
* description ^requirements = "The goal itself; its text is the person's words (see description.text)."
* subject ^requirements = "A life goal belongs to one person, never to a group or an organisation."
* start[x] ^requirements = "When the person set the goal: the only date the model needs, since there is no deadline."
