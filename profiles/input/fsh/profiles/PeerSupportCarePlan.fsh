Profile: PeerSupportCarePlan
Parent: CarePlan
Id: peer-support-care-plan
Title: "Plan d'accompagnement par les pairs / Peer-support care plan"
Description: """
Le plan d'accompagnement : les objectifs de vie de la personne et ce que ses pairs font avec elle pour les
atteindre. / The accompaniment plan: the person's life goals and what their peers do with them to reach those goals.

The plan is recognised by its category (`plan-accompagnement-pair`), so an EMR can keep it apart from clinical
care plans. It points to the person's PeerCareTeam and to at least one LifeGoal: a peer-support plan without a goal
the person set would not be peer support. Peer activities are coded from the peer-activity code system and name the
peer who does them and their schedule (weekly meetings are common).
"""
* ^status = #draft
* ^experimental = false
* obeys cs-cp-1
* status MS
* intent MS
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "The peer-support plan category is required; other categories may be added."
* category contains peerSupport 1..1 MS
* category[peerSupport] = $careplan-category#plan-accompagnement-pair
* category[peerSupport] ^requirements = "Lets an EMR and health authorities find the peer-support plan among the person's care plans."
* title MS
* description MS
* subject MS
* subject only Reference(Patient)
* period MS
* author MS
* careTeam 1..* MS
* careTeam only Reference(PeerCareTeam)
* careTeam ^requirements = "The plan is carried out by the team that includes the peers."
* goal 1..* MS
* goal only Reference(LifeGoal)
* goal ^requirements = "Peers accompany the person toward the goals the person set; the plan exists for them."
* activity MS
* activity ^slicing.discriminator.type = #pattern
* activity ^slicing.discriminator.path = "detail.code"
* activity ^slicing.rules = #open
* activity ^slicing.description = "Peer activities, recognised by the peer-activity code system; clinical activities may sit alongside."
* activity contains peerActivity 0..* MS
* activity[peerActivity].detail 1..1 MS
* activity[peerActivity].detail.code 1..1 MS
* activity[peerActivity].detail.code ^patternCodeableConcept.coding[0].system = $peer-activity
* activity[peerActivity].detail.code from PeerActivityVS (required)
* activity[peerActivity].detail.status MS
* activity[peerActivity].detail.goal MS
* activity[peerActivity].detail.goal only Reference(LifeGoal)
* activity[peerActivity].detail.scheduled[x] 1..1 MS
* activity[peerActivity].detail.scheduled[x] only Timing
* activity[peerActivity].detail.scheduled[x] ^requirements = "Peers meet the person regularly; the rhythm (e.g. weekly) is part of the plan."
* activity[peerActivity].detail.performer 1..* MS
* activity[peerActivity].detail.performer only Reference(PeerSupporter)
* activity[peerActivity].detail.performer ^requirements = "Says which peer does the activity."
* activity[peerActivity].detail.description MS
* status ^requirements = "Only an active plan is shown as current in the app."
* intent ^requirements = "A peer-support plan is a plan (intent = plan), agreed with the person, not an order."
* category ^requirements = "Sliced so the peer-support category is always present; other categories may be added."
* title ^requirements = "A short name the person and the team recognise."
* description ^requirements = "The plan in a few words, readable by the person."
* subject ^requirements = "A peer-support plan is one person's plan."
* period ^requirements = "When the accompaniment started (and ended)."
* author ^requirements = "Who wrote the plan with the person (often the person themself, or the clinician partner)."
* activity ^requirements = "Sliced so peer activities are recognised by their code system; other activities may sit alongside."
* activity[peerActivity] ^requirements = "An activity a peer does with the person."
* activity[peerActivity].detail ^requirements = "A peer activity is described inline (detail), not by a separate request: peers do not receive orders."
* activity[peerActivity].detail.code ^requirements = "What kind of accompaniment: from the peer-activity code system."
* activity[peerActivity].detail.goal ^requirements = "Which of the person's life goals the activity serves."
* activity[peerActivity].detail.status ^requirements = "Whether the activity is under way, paused or completed."
* activity[peerActivity].detail.description ^requirements = "The activity in plain words (place, what the person wants from it)."
