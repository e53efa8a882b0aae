"""Scripted candidates for the interviewer battery: per round, answers in several voices, and the
candidates built from them (strong, vague, off-topic, evasive, "I don't know", "repeat the question",
one very long answer, one that gives everything at once, ...). Written for the tests; no answer is
copied from anywhere."""

from __future__ import annotations

CONTENT: dict[str, dict[str, list[str]]] = {
    "product_sense": {
        "strong": [
            "I'd focus on first-time renters furnishing a small flat. They save dozens of living-room Pins but stall "
            "before buying, because they can't tell what fits a three-metre wall; I'd guess 30% of home decor savers.",
            "I'd build a fit-check button on the board: she taps it, enters the wall size, and sees which saved pieces "
            "fit and cost under 500 dollars, so she can buy the first piece with confidence.",
            "Success is outbound clicks per home decor saver up 10% within eight weeks, read in a 50/50 holdout, with "
            "hide rate not rising above 2% as a guardrail.",
        ],
        "complete": [
            "I'd focus on first-time renters who save living-room Pins but stall before buying, roughly 30% of decor "
            "savers. I'd build a fit-check button on the board that shows which saved pieces fit the wall and budget. "
            "Success is outbound clicks per saver up 10% within eight weeks in a 50/50 holdout, and hide rate must not "
            "rise above 2%. I would deliberately not build a 3D room planner in the first version, because it costs a "
            "quarter of engineering; the main risk is bad size data, and the fallback is to show only items with dimensions."
        ],
        "vague": [
            "I think users want more engagement, so maybe a better feed with more personalised content.",
            "We would improve the experience and make it more engaging for everyone.",
            "Probably some kind of recommendation thing would help people.",
        ],
        "offtopic": [
            "I'd start with couriers on a food-delivery app who wait at restaurants during the dinner rush. Couriers "
            "lose a fifth of each shift waiting, so I'd build a courier queue that tells drivers when the kitchen is ready.",
            "For the couriers I'd measure wait time per delivery and driver earnings per hour across two cities, and "
            "expand the courier queue to the rest of the delivery network after a month.",
        ],
        "evasive": [
            "It depends what discovery surfaces, so I wouldn't commit to a feature yet; I'd run research first.",
            "I'd hate to bias the answer before we have data, so I'd let the research decide which direction to take.",
        ],
    },
    "system_design": {
        "strong": [
            "Take a pinner who saves hairstyle Pins for a wedding but can't find tutorials for her curly hair. We "
            "already have her saves, closeups and search queries, and labelled hair-type data from a past project.",
            "The model is a two-tower retrieval model over image embeddings, re-ranked by hair type, and the product "
            "hook is a 'styles for your hair' row on the board page. Saves per board up 8% within six weeks is the target.",
            "Rollout: internal dogfood for two weeks, then 1% of pinners, then 10% only if hide rate stays under 2% and "
            "quality per skin tone and hair texture stays within 5% of the average; a weekly audit catches drift.",
        ],
        "complete": [
            "For a pinner saving curly-hair wedding styles who can't find tutorials, we have her saves, closeups and "
            "searches. A retrieval model over image embeddings, re-ranked by hair type, feeds a row on the board page. "
            "Target: saves per board up 8% within six weeks, with offline recall at 20 above 0.6 as the bar. We dogfood "
            "for two weeks, then 1%, then 10% only if hide rate stays under 2% and quality per hair texture stays within "
            "5% of the average; the main risk is skew against rare textures, mitigated by a weekly fairness audit."
        ],
        "vague": [
            "We'd use AI and machine learning to personalise the experience with a state-of-the-art model.",
            "The model would learn from the data and get better over time, and then we'd launch it.",
            "I'd make sure it's scalable and robust and that users like it.",
        ],
        "offtopic": [
            "I'd approach this through grocery replenishment: a store planner orders fresh produce every morning, "
            "balancing empty shelves against spoiled stock, using two years of point-of-sale data per store.",
            "The grocery model forecasts demand per store and item, and the planner sees suggested order quantities "
            "with a confidence band each morning before the delivery truck leaves.",
        ],
        "evasive": [
            "It really depends on the data, so I wouldn't pick a model architecture until research tells us more.",
            "There's no single right answer here; whatever the experiments show would guide the design.",
        ],
    },
    "impact_story": {
        "strong": [
            "At a grocery app I owned substitutions. 18% of orders had an item out of stock and shoppers picked poor "
            "replacements, so refunds cost us about 2 million dollars a year.",
            "I rewrote the spec so the substitution model ranked by what the customer had bought before, and I "
            "convinced the ops lead to let customers pre-approve swaps. Refunds fell 35% within two quarters.",
            "Looking back, I should have involved support earlier; since then I always bring them into the first week "
            "of a project.",
        ],
        "complete": [
            "At a grocery app, 18% of orders had an out-of-stock item and refunds cost about 2 million dollars a year. "
            "I rewrote the spec so the substitution model ranked by past purchases, and convinced ops to let customers "
            "pre-approve swaps. The model's acceptance rate rose from 61% to 78%, refunds fell 35% within two quarters "
            "in a holdout, and I learned to bring support in during the first week; I now always do."
        ],
        "vague": [
            "We worked on the feed and made it better, and it went well, people seemed to like it.",
            "We had a good team and we all collaborated and shipped it on time.",
            "It improved engagement quite a lot, I don't remember the exact numbers.",
        ],
        "offtopic": [
            "My favourite hobby is sourdough baking: the starter lives in a jar on the windowsill, gets fed flour and "
            "water twice a day, and the dough proves overnight in the fridge before it goes into a hot pot.",
            "For the bread, I'd say the crust matters most, and the oven temperature has to stay above 230 degrees "
            "for the first twenty minutes with the lid on the pot.",
        ],
        "evasive": [
            "It's hard to pick one project, it really depends what you'd like to hear about.",
            "I wouldn't want to single out one decision; it was all a team effort and it depends on the day.",
        ],
    },
    "technical_explainer": {
        "strong": [
            "An API is like a restaurant menu: you order from a list of dishes, and the kitchen hands back the dish "
            "without you ever seeing how it was cooked. For example, a weather app asks a weather service for tomorrow.",
            "The app sends a request with an API key, so the service knows who is asking, and gets back JSON in about "
            "200 milliseconds; popular answers are cached so they come back faster.",
            "The trade-off is freshness versus speed: caching for ten minutes is cheaper and faster but can be stale, "
            "so I'd cache forecasts but never payment status. The business side charges per thousand calls.",
        ],
        "complete": [
            "An API is like a restaurant menu: you order from a fixed list and the kitchen hands back the dish without "
            "showing how it's cooked. For example, a weather app asks a weather service for tomorrow's forecast, sending "
            "an API key so the service knows who is asking, and gets JSON back in about 200 milliseconds. The trade-off "
            "is freshness versus speed: caching for ten minutes is cheaper but can be stale, so cache forecasts, never "
            "payments. The provider charges per thousand calls, which is why partners care."
        ],
        "vague": [
            "An API is basically an interface layer that lets services talk to each other through endpoints.",
            "It's the standard architecture, the engineers handle that part.",
            "It uses REST and JSON and HTTP, that's how the web works.",
        ],
        "offtopic": [
            "Hospital rostering is a good example of hard scheduling: nurses on twelve-hour shifts, ward minimums, "
            "holiday requests and union rules all have to be balanced every fortnight by the ward manager.",
            "For the nurses I'd build a rota solver that proposes shifts and lets the ward manager swap people, with "
            "overtime hours tracked per ward each month.",
        ],
        "evasive": [
            "It depends on the use case, and there's no single right answer for how it works.",
            "I'd rather not go into detail, it depends on what the engineers decide.",
        ],
    },
    "program_execution": {
        "strong": [
            "I ran the payouts migration: four teams and one vendor, with a hard cutoff in five months. The critical "
            "path was the ledger rework, nine weeks, because the new API was asynchronous.",
            "In week one I wrote the payout state contract and got ledger and payments to sign it, so payments built "
            "against a mock server in parallel; that took four weeks off the critical path.",
            "The top risk was the vendor being late with the sandbox; the mitigation was the mock server plus a "
            "four-week buffer before the cutoff. Seven of eight milestones landed on their date.",
        ],
        "complete": [
            "I ran a payouts migration with four teams and a vendor and a hard five-month cutoff; the critical path was "
            "a nine-week ledger rework. In week one I wrote the state contract so payments built against a mock in "
            "parallel, which took four weeks off. We shadowed first, then moved 5% of payouts only if ledger mismatches "
            "stayed at zero for three cycles. The main risk was a late vendor sandbox; the mitigation was the mock and a "
            "four-week buffer. Risk and the app PM disagreed on scope, and I cut instant payouts to the next quarter."
        ],
        "vague": [
            "We ran everything agile with sprints and stand-ups, and kept the Jira board up to date.",
            "We aligned all the stakeholders and delivered on time, it went smoothly.",
            "The team managed dependencies and risks as they came up.",
        ],
        "offtopic": [
            "The closest thing I've done is planning my sister's wedding: the caterer, the florist and the venue all "
            "had to line up, and the cake tasting kept moving because the baker went on holiday.",
            "For the wedding I kept a spreadsheet of every guest's dietary needs and the seating plan, and we sent "
            "reminders to the florist a week before.",
        ],
        "evasive": [
            "It's hard to say what the critical path was, it really depends how you look at it.",
            "I wouldn't commit to a single date, there were too many moving parts to pick one.",
        ],
    },
}

FILLER = (
    "And, you know, there's a lot to say about this, because it touches many teams and many parts of the product, "
    "and I think it's important to think about it holistically and from several angles before going further. "
)


def candidates(round_id: str) -> dict[str, list[str]]:
    """Twelve-plus scripted candidates for one round; each is the list of answers it gives, in order."""
    c = CONTENT[round_id]
    strong, vague = c["strong"], c["vague"]
    long = strong[0] + " " + FILLER * 12 + strong[1]
    return {
        "strong": list(strong),
        "vague": list(vague),
        "off_topic": list(c["offtopic"]),
        "evasive": list(c["evasive"]),
        "dont_know": ["I honestly don't know.", strong[0], "I don't know, sorry."],
        "repeat": ["Can you repeat the question?", "Sorry, could you rephrase that?", strong[0]],
        "long": [long, strong[2]],
        "complete_first": [*c["complete"], strong[2]],
        "wait": ["Can I take a minute to think?", strong[0], strong[1]],
        "mixed": [vague[0], strong[1], "I don't know."],
        "end_early": [strong[0], "/end"],
        "persistent": [*strong, *vague, *strong, *vague],
    }
