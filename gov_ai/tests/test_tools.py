# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
import random
import unittest
from datetime import date

from ..tools import (
    anomaly,
    answers,
    bayes,
    benford,
    duplicates,
    evaluation,
    llm,
    masking,
    seasonal,
    series,
    summary,
)


class TestDuplicateTools(unittest.TestCase):
    def test_normalisation_ignores_case_separators_zeros_and_ocr(self):
        norm = duplicates.normalize_reference
        self.assertEqual(norm("INV-2026/0012"), norm("inv 2026 12"))
        self.assertEqual(norm("F-000123"), norm("f123"))
        self.assertEqual(norm("SB-1O0"), norm("58-100"))
        self.assertEqual(norm("INV-I5"), norm("1NV-15"))
        self.assertEqual(norm(None), "")
        self.assertEqual(norm(False), "")
        self.assertNotEqual(norm("INV-124"), norm("INV-125"))

    def test_reference_similarity(self):
        self.assertEqual(duplicates.reference_similarity("A-01", "a1"), 1.0)
        close = duplicates.reference_similarity("2026-4711", "2026-4717")
        self.assertGreater(close, 0.8)
        self.assertLess(close, 1.0)
        self.assertIsNone(duplicates.reference_similarity("", "X1"))

    def test_amount_and_date_similarity(self):
        self.assertEqual(duplicates.amount_similarity(100.0, 100.0), 1.0)
        self.assertEqual(duplicates.amount_similarity(100.0, 100.4), 0.9)
        self.assertEqual(duplicates.amount_similarity(100.0, 120.0), 0.0)
        self.assertIsNone(duplicates.amount_similarity(None, 1.0))
        self.assertEqual(
            duplicates.date_similarity(date(2026, 1, 1), "2026-01-01"), 1.0
        )
        self.assertAlmostEqual(
            duplicates.date_similarity("2026-01-01", "2026-01-16", 30), 0.5
        )
        self.assertEqual(duplicates.date_similarity("2026-01-01", "2026-06-01"), 0.0)

    def test_score_weights_present_factors_only(self):
        score, factors = duplicates.duplicate_score(
            {"reference": "INV-001", "amount": 50.0},
            {"reference": "inv 1", "amount": 50.0},
        )
        self.assertEqual(score, 1.0)
        self.assertIsNone(factors["date"])
        # a single matching factor stays below a typical review band
        score, _factors = duplicates.duplicate_score({"amount": 5.0}, {"amount": 5.0})
        self.assertEqual(score, 0.6)
        self.assertEqual(duplicates.duplicate_score({}, {"amount": 1})[0], 0.0)

    def test_another_number_needs_amount_and_date_to_confirm(self):
        self.assertTrue(duplicates.other_number("INV-2026-0124", "INV-2026-0125"))
        self.assertFalse(duplicates.other_number("INV-2026-0124", "inv 2026 124"))
        self.assertFalse(duplicates.other_number("INV-2O26-0124", "INV-2026-124"))
        self.assertFalse(duplicates.other_number("ABC", "ABD"))
        # the next bill of a subscription: same amount, a month later
        score, factors = duplicates.duplicate_score(
            {"reference": "INV-2026-0125", "amount": 49.0, "date": "2026-03-01"},
            {"reference": "INV-2026-0124", "amount": 49.0, "date": "2026-02-01"},
        )
        self.assertTrue(factors["other_number"])
        self.assertLess(score, 0.6)
        self.assertIn(
            "but another number", " ".join(duplicates.explain_factors(factors))
        )
        # a typo in the number, same amount, same day: still worth a look
        score, _factors = duplicates.duplicate_score(
            {"reference": "INV-2026-0152", "amount": 49.0, "date": "2026-03-01"},
            {"reference": "INV-2026-0125", "amount": 49.0, "date": "2026-03-01"},
        )
        self.assertGreaterEqual(score, 0.6)

    def test_score_bound_never_undercuts_the_score(self):
        rng = random.Random(5)
        refs = ["INV-2026-0124", "inv 2026 124", "INV-2026-0125", "F000124", "", None]
        for _ in range(300):
            target = {
                "reference": rng.choice(refs),
                "amount": rng.choice([None, 100.0, 100.2, 250.0]),
                "date": rng.choice([None, "2026-03-01", "2026-03-09", "2026-06-01"]),
            }
            candidate = {
                "reference": rng.choice(refs),
                "amount": rng.choice([None, 100.0, 101.0]),
                "date": rng.choice([None, "2026-03-01", "2026-04-01"]),
            }
            score, _factors = duplicates.duplicate_score(target, candidate)
            self.assertGreaterEqual(
                duplicates.score_bound(target, candidate), score, (target, candidate)
            )

    def test_find_duplicates_ranks_and_explains(self):
        target = {"reference": "INV-0042", "amount": 99.0, "date": "2026-03-01"}
        candidates = [
            {"id": 1, "reference": "INV-0041", "amount": 12.0, "date": "2025-01-01"},
            {"id": 2, "reference": "inv42", "amount": 99.0, "date": "2026-03-03"},
            {"id": 3, "reference": "INV-OO42", "amount": 99.3, "date": "2026-03-01"},
        ]
        matches = duplicates.find_duplicates(target, candidates)
        self.assertEqual([m["id"] for m in matches], [2, 3])
        self.assertIn("same reference once normalised", matches[1]["reasons"])
        self.assertIn("amount within tolerance", matches[1]["reasons"])
        self.assertIn("same amount", matches[0]["reasons"])


class TestSeriesTools(unittest.TestCase):
    def test_two_dates_are_no_rhythm(self):
        # two bills of one amount a year apart: no yearly series to be
        # "within one period" of
        self.assertIsNone(series.rhythm([date(2025, 1, 10), date(2026, 1, 20)]))
        monthly = [date(2026, month, 5) for month in (1, 2, 3)]
        self.assertAlmostEqual(series.rhythm(monthly), 29.5, delta=1)

    def test_two_bills_of_one_amount_a_year_apart_make_no_period(self):
        target = {"reference": "T42077", "amount": 480.0, "date": "2026-01-25"}
        rows = [
            {"id": 1, "reference": "K88120", "amount": 480.0, "date": "2025-01-10"},
            {"id": 2, "reference": "P55013", "amount": 480.0, "date": "2026-01-20"},
        ]
        match = {"id": 1, "score": 0.5, "factors": {"reference": 0.4}}
        score, reasons = series.adjust(target, match, rows)
        self.assertEqual(score, 0.5)
        self.assertFalse(any("within one period" in r for r in reasons))


class TestSeasonalTools(unittest.TestCase):
    @staticmethod
    def heating_rows(winter_months=(1, 2, 2)):
        """Two years of a vendor billing about 100 a month and about 500
        from November to February; January billed once, February twice."""
        usual = (92, 104, 97, 110, 88, 101, 95, 107)
        rows = []
        for year in (0, 1):
            rows += [(m, usual[(m + year) % 8]) for m in range(3, 11)]
            rows += [(3, 99), (3, 103), (11, 480 + 30 * year), (12, 520 - 20 * year)]
        return rows + [(m, 500) for m in winter_months]

    def test_the_months_split_into_two_seasons(self):
        by_month = {}
        for month, amount in self.heating_rows():
            by_month.setdefault(month, []).append(math.log(amount))
        high_months, low, high, _spread = seasonal.seasons(by_month)
        self.assertEqual(high_months, {11, 12, 1, 2})
        self.assertAlmostEqual(math.exp(high - low), 5, delta=0.5)

    def test_the_edge_of_a_season_is_judged_with_its_season(self):
        # February: two bills of its own, its neighbours January (one bill)
        # and March (six); pooling it with them would make a winter bill
        # unusual
        february = seasonal.baseline(self.heating_rows(), 2)
        self.assertGreater(february["season"], 3)
        self.assertFalse(seasonal.assess(540, february)["anomalous"])
        self.assertTrue(seasonal.assess(5000, february)["anomalous"])

    def test_big_months_scattered_over_the_year_are_no_season(self):
        rows = [(m, 100 + m) for _year in (0, 1) for m in range(1, 13)]
        rows += [(m, 600) for m in (1, 5, 9) for _n in (0, 1)]
        by_month = {}
        for month, amount in rows:
            by_month.setdefault(month, []).append(math.log(amount))
        self.assertIsNone(seasonal.seasons(by_month))
        self.assertIsNone(seasonal.baseline(rows, 5)["season"])

    def test_a_month_between_seasons_is_judged_against_the_nearer_level(self):
        # no bills in January and February: December says winter, March not
        base = seasonal.baseline(self.heating_rows(winter_months=()), 2)
        self.assertIsNone(base["season"])
        self.assertEqual(len(base["levels"]), 2)
        self.assertFalse(seasonal.assess(520, base)["anomalous"])
        self.assertFalse(seasonal.assess(100, base)["anomalous"])
        judged = seasonal.assess(5000, base)
        self.assertTrue(judged["anomalous"])
        self.assertAlmostEqual(judged["ratio"], 10, delta=1)

    def test_above_the_expected_amount_a_multiple_counts_sooner(self):
        # a volatile vendor: 3.5 times its usual is unusual (overpaid if
        # wrong), a 3.5th of it is within its spread
        base = {"n": 30, "center": math.log(100), "mad": 0.4, "scope": "partner"}
        base |= {"season": None, "levels": None}
        above = seasonal.assess(350, base)
        self.assertTrue(above["anomalous"])
        self.assertLess(above["z"], anomaly.THRESHOLD)
        self.assertTrue(above["by_multiple"])
        self.assertFalse(seasonal.assess(100 / 3.5, base)["anomalous"])

    def test_winter_bills_are_judged_against_their_season(self):
        # two years, one bill a month (two in some), five times more in
        # winter: no single month of the year holds enough bills, a season does
        rng = random.Random(7)
        rows = []
        for _year in range(2):
            for month in range(1, 13):
                for _n in range(rng.choice((1, 1, 2))):
                    amount = 100 * math.exp(rng.gauss(0, 0.2))
                    rows.append((month, amount * (5 if month in (12, 1, 2) else 1)))
        winter = seasonal.baseline(rows, 1)
        self.assertIsNotNone(winter["season"])
        self.assertGreater(winter["season"], 3)
        self.assertFalse(seasonal.assess(520, winter)["anomalous"])
        self.assertTrue(seasonal.assess(5200, winter)["anomalous"])
        summer = seasonal.baseline(rows, 7)
        self.assertIsNone(summer["season"])
        judged = seasonal.assess(520, summer)
        self.assertTrue(judged["anomalous"])
        self.assertAlmostEqual(judged["ratio"], 5.2, delta=1.0)


class TestAnomalyTools(unittest.TestCase):
    def test_baseline_is_median_and_mad_of_logs(self):
        n, median, mad = anomaly.baseline([10, 10, 100, 0, None, -5])
        self.assertEqual(n, 3)
        self.assertAlmostEqual(median, math.log(10))
        self.assertAlmostEqual(mad, 0.0)
        self.assertEqual(anomaly.baseline([]), (0, None, None))

    def test_mad_is_floored(self):
        z = anomaly.robust_z(11, math.log(10), 0.0)
        self.assertAlmostEqual(z, 0.6745 * math.log(1.1) / anomaly.MAD_FLOOR)
        self.assertIsNone(anomaly.robust_z(0, 1.0, 1.0))

    def test_assess_prefers_partner_then_falls_back(self):
        partner = anomaly.baseline([100, 105, 95, 110, 90, 100, 102, 98])
        everyone = anomaly.baseline([10, 20, 1000, 5, 50, 70, 300, 8, 12, 40])
        result = anomaly.assess(1000, partner, everyone)
        self.assertTrue(result["anomalous"])
        self.assertEqual(result["baseline"], "partner")
        self.assertEqual(result["n"], 8)
        self.assertGreater(result["confidence"], 0.5)
        normal = anomaly.assess(101, partner, everyone)
        self.assertFalse(normal["anomalous"])
        # too little partner history: the whole model is the baseline
        small = anomaly.baseline([100, 100])
        fallback = anomaly.assess(1000, small, everyone)
        self.assertEqual(fallback["baseline"], "global")
        self.assertIsNone(anomaly.assess(1000, small, small))

    def test_confidence_grows_with_distance(self):
        low = anomaly.confidence_from_z(3.5)
        high = anomaly.confidence_from_z(-20)
        self.assertAlmostEqual(low, 0.5)
        self.assertGreater(high, 0.8)
        self.assertLess(anomaly.confidence_from_z(20, fallback_baseline=True), high)


class TestBenfordTools(unittest.TestCase):
    def test_first_digit(self):
        self.assertEqual(benford.first_digit(1234.5), 1)
        self.assertEqual(benford.first_digit(0.03), 3)
        self.assertEqual(benford.first_digit(-870), 8)
        self.assertIsNone(benford.first_digit(0))
        self.assertIsNone(benford.first_digit(None))

    def test_chi2_survival_function(self):
        self.assertAlmostEqual(benford.chi2_sf_8(0), 1.0)
        # 15.507 is the 5 % critical value with 8 degrees of freedom
        self.assertAlmostEqual(benford.chi2_sf_8(15.507), 0.05, places=3)

    def test_conforming_history(self):
        rng = random.Random(7)
        amounts = [10 ** rng.uniform(0, 5) for _ in range(2000)]
        result = benford.screen(benford.digit_counts(amounts))
        self.assertTrue(result["sufficient"])
        self.assertFalse(result["nonconforming"])
        self.assertIn(result["band"], ("close", "acceptable"))
        self.assertEqual(result["n"], 2000)

    def test_fabricated_history_departs(self):
        rng = random.Random(7)
        amounts = [rng.uniform(500, 999) for _ in range(300)]
        result = benford.screen(benford.digit_counts(amounts))
        self.assertTrue(result["nonconforming"])
        self.assertEqual(result["band"], "nonconformity")
        self.assertGreater(result["confidence"], 0.5)
        self.assertLess(result["confidence"], 0.9)
        self.assertLess(result["p_value"], 0.001)
        self.assertEqual(result["largest_departures"][0]["digit"], 1)

    def test_noise_of_a_small_sample_is_not_a_departure(self):
        rng = random.Random(3)
        amounts = [10 ** rng.uniform(0, 5) for _ in range(120)]
        result = benford.screen(benford.digit_counts(amounts))
        self.assertGreater(result["p_value"], 0.05)
        self.assertFalse(result["nonconforming"])

    def test_small_sample_concludes_nothing(self):
        result = benford.screen({5: 40, 6: 40}, min_sample=100)
        self.assertFalse(result["sufficient"])
        self.assertFalse(result["nonconforming"])
        self.assertEqual(result["confidence"], 0.0)
        self.assertEqual(benford.screen({})["n"], 0)


class TestBayesTools(unittest.TestCase):
    SAMPLES = [
        ("Taxi from the airport to the hotel", "travel"),
        ("Hotel night in Lyon, breakfast included", "travel"),
        ("Train ticket Paris Lyon", "travel"),
        ("Flight ticket and taxi", "travel"),
        ("Laptop for the new developer", "it"),
        ("Annual software licence renewal", "it"),
        ("Monitor and keyboard", "it"),
        ("", "it"),
        ("Orphan text", False),
    ]

    def test_tokenize(self):
        self.assertEqual(
            bayes.tokenize("Hôtel: 2 nights, the TAXI!"), ["hotel", "nights", "taxi"]
        )
        self.assertEqual(bayes.tokenize(None), [])

    def test_train_counts_only_usable_samples(self):
        model = bayes.train(self.SAMPLES)
        self.assertEqual(model["documents"], 7)
        self.assertEqual(set(model["classes"]), {"travel", "it"})
        self.assertEqual(model["classes"]["travel"]["documents"], 4)

    def test_predict_with_probabilities_and_telling_words(self):
        model = bayes.train(self.SAMPLES)
        result = bayes.predict(model, "taxi and hotel in Lyon")
        self.assertEqual(result["label"], "travel")
        self.assertGreater(result["confidence"], 0.8)
        total = sum(p["probability"] for p in result["probabilities"])
        self.assertAlmostEqual(total, 1.0, places=3)
        self.assertIn("taxi", [w["word"] for w in result["words"]])
        it = bayes.predict(model, "new keyboard licence")
        self.assertEqual(it["label"], "it")

    def test_laplace_smoothing_keeps_unknown_words_finite(self):
        model = bayes.train(self.SAMPLES)
        result = bayes.predict(model, "zeppelin")
        # an unknown word does not favour any class: the priors decide
        self.assertEqual(result["label"], "travel")
        self.assertEqual(result["known_words"], 0)
        self.assertEqual(result["words"], [])

    def test_long_texts_do_not_underflow(self):
        model = bayes.train(self.SAMPLES)
        result = bayes.predict(model, "taxi " * 5000)
        self.assertEqual(result["label"], "travel")
        self.assertLessEqual(result["confidence"], 1.0)

    def test_no_answer_without_two_classes_or_words(self):
        self.assertIsNone(bayes.predict(bayes.train(self.SAMPLES[:3]), "taxi"))
        self.assertIsNone(bayes.predict(bayes.train(self.SAMPLES), "12 34"))


class TestSummaryTools(unittest.TestCase):
    TEXT = (
        "The supplier delivered the pallets two weeks late. "
        "The invoice of the supplier was paid twice by mistake. "
        "Lunch was served at noon. "
        "Finance asked the supplier for a credit note on the invoice paid twice. "
        "The weather was fine.\n\n"
        "The supplier confirmed the credit note for the duplicated invoice."
    )

    def test_split_sentences(self):
        self.assertEqual(len(summary.split_sentences(self.TEXT)), 6)
        self.assertEqual(
            summary.split_sentences("e.g. this stays one"), ["e.g. this stays one"]
        )
        self.assertEqual(summary.split_sentences(""), [])

    def test_keeps_top_sentences_in_original_order(self):
        result = summary.summarize(self.TEXT, max_sentences=2)
        self.assertEqual(len(result["kept"]), 2)
        self.assertEqual(result["kept"], sorted(result["kept"]))
        self.assertNotIn("Lunch", result["summary"])
        self.assertNotIn("weather", result["summary"])
        self.assertIn("supplier", result["keywords"])
        sentences = summary.split_sentences(self.TEXT)
        self.assertEqual(
            result["summary"], " ".join(sentences[i - 1] for i in result["kept"])
        )
        self.assertGreater(result["coverage"], 0.3)
        self.assertLessEqual(result["coverage"], 1.0)

    def test_short_text_is_its_own_summary(self):
        result = summary.summarize("Only one sentence here.")
        self.assertEqual(result["summary"], "Only one sentence here.")
        self.assertEqual(result["coverage"], 1.0)
        self.assertEqual(summary.summarize(None)["sentences"], 0)


class TestLlmTools(unittest.TestCase):
    CONTENT = (
        '{"label": "duplicate", "confidence": 0.9, "rationale": "x", "abstain": false}'
    )

    def tokens(self, label_logprob):
        head, rest = self.CONTENT.split("duplicate", 1)
        return {
            "content": [
                {"token": head, "logprob": -0.01},
                {"token": "dup", "logprob": label_logprob},
                {"token": "licate", "logprob": 0.0},
                {"token": rest, "logprob": -0.02},
            ]
        }

    def test_label_probability_reads_only_the_label_tokens(self):
        probability = llm.label_probability(
            self.CONTENT, self.tokens(math.log(0.25)), "duplicate"
        )
        self.assertAlmostEqual(probability, 0.25, places=4)

    def test_label_probability_is_none_when_unusable(self):
        self.assertIsNone(llm.label_probability(self.CONTENT, None, "duplicate"))
        self.assertIsNone(llm.label_probability(self.CONTENT, {}, "duplicate"))
        # tokens that do not spell the content are not trusted
        broken = self.tokens(-0.1)
        broken["content"].pop()
        self.assertIsNone(llm.label_probability(self.CONTENT, broken, "duplicate"))
        # nor a positive log-probability
        self.assertIsNone(
            llm.label_probability(self.CONTENT, self.tokens(0.5), "duplicate")
        )

    def test_abstaining_answer_is_not_usable(self):
        answer = {"label": "x", "confidence": 0.9, "rationale": "no", "abstain": False}
        self.assertIs(llm.usable(answer), answer)
        with self.assertRaises(llm.Abstained) as caught:
            llm.usable(dict(answer, abstain=True, rationale="cannot tell"))
        self.assertEqual(str(caught.exception), "cannot tell")
        self.assertIsInstance(caught.exception, llm.AnswerError)

    def test_token_probability_tempers_the_stated_confidence(self):
        stated = llm.combine_confidence(0.9)
        tempered = llm.combine_confidence(0.9, label_probability=0.25)
        self.assertAlmostEqual(tempered, round(0.8 * math.sqrt(0.9 * 0.25), 4))
        self.assertLess(tempered, stated)
        self.assertEqual(llm.combine_confidence(0.9, label_probability=1.0), stated)

    def test_a_detector_without_opinion_neither_supports_nor_contradicts(self):
        alone = llm.combine_confidence(0.9)
        self.assertEqual(alone, 0.72)
        self.assertEqual(llm.combine_confidence(0.9, (False, 0.0)), alone)
        self.assertEqual(llm.combine_confidence(0.9, (True, 0.0)), alone)
        # a detector that has an opinion still counts, both ways
        self.assertEqual(llm.combine_confidence(0.9, (True, 1.0)), 0.95)
        self.assertEqual(llm.combine_confidence(0.9, (False, 0.8)), 0.1)


class TestAnswerTools(unittest.TestCase):
    def test_an_answer_asks_for_an_action_only_on_a_finding(self):
        common = {"version": "t-1", "summary": "s", "explanation": "e", "evidence": {}}
        found = answers.build("x", finding=True, action="review", **common)
        self.assertEqual(found["suggested_action"], "review")
        self.assertEqual(found["detector_version"], "t-1")
        clear = answers.build("y", action="review", **common)
        self.assertEqual(
            (clear["finding"], clear["suggested_action"], clear["confidence"]),
            (False, "none", 0.0),
        )

    def test_unknown_is_a_finding_for_a_person_to_check(self):
        unknown = answers.unknown(
            version="t-1", summary="s", explanation="e", evidence={"n": 1}
        )
        self.assertEqual(unknown["label"], "unknown")
        self.assertTrue(unknown["finding"])
        self.assertEqual(unknown["suggested_action"], "check")
        self.assertEqual((unknown["score"], unknown["confidence"]), (0.0, 0.0))
        self.assertEqual(unknown["evidence"], {"n": 1})


class TestMaskingTools(unittest.TestCase):
    def test_personal_fields_and_texts(self):
        values = {
            "email": "a@b.example",
            "name": "Jane Doe",
            "ref": "INV-2026-000123",
            "comment": "Mail a@b.example or call +32 470 12 34 56 on 2026-01-02",
            "amount": 12.5,
        }
        masked, names = masking.mask_values("k", "res.partner", values)
        self.assertEqual(names, ["email", "name"])
        self.assertEqual(masked["ref"], "INV-2026-000123")
        self.assertEqual(masked["amount"], 12.5)
        self.assertNotIn("Jane", masked["name"])
        self.assertNotIn("a@b.example", masked["comment"])
        self.assertNotIn("+32 470", masked["comment"])
        self.assertIn("2026-01-02", masked["comment"])
        # the same address gives the same pseudonym, in a field or a text
        self.assertIn(masked["email"], masked["comment"])
        # a name field of a model that is not a person's is left alone
        other, names = masking.mask_values("k", "product.product", {"name": "Desk"})
        self.assertEqual((other["name"], names), ("Desk", []))

    def test_pseudonyms_depend_on_the_key(self):
        self.assertNotEqual(
            masking.pseudonym("k1", "EMAIL", "a@b.example"),
            masking.pseudonym("k2", "EMAIL", "a@b.example"),
        )


class TestEvaluationTools(unittest.TestCase):
    def test_calibration_of_a_perfect_and_of_an_overconfident_use_case(self):
        perfect = evaluation.calibration([(1.0, True), (0.0, False)] * 5)
        self.assertEqual((perfect["brier"], perfect["ece"]), (0.0, 0.0))
        self.assertEqual(perfect["precision"], 0.5)
        # says 90% but only half of its answers are accepted
        pairs = [(0.9, True), (0.9, False)] * 10
        result = evaluation.calibration(pairs)
        self.assertEqual(result["n"], 20)
        self.assertAlmostEqual(result["brier"], (0.1**2 + 0.9**2) / 2, places=4)
        self.assertAlmostEqual(result["ece"], 0.4, places=4)
        [band] = result["bands"]
        self.assertEqual((band["low"], band["high"], band["n"]), (0.9, 1.0, 20))
        self.assertEqual((band["confidence"], band["accepted"]), (0.9, 0.5))
        empty = evaluation.calibration([])
        self.assertEqual((empty["n"], empty["brier"], empty["bands"]), (0, None, []))

    def test_calibration_bands_weight_the_error_by_size(self):
        pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.55, False)] * 10
        result = evaluation.calibration(pairs)
        self.assertEqual([b["n"] for b in result["bands"]], [10, 10])
        # band 0.5-0.6: |0 - 0.55|; band 0.9-1.0: |0.9 - 0.95|; each half
        self.assertAlmostEqual(result["ece"], (0.55 + 0.05) / 2, places=4)

    def test_population_stability(self):
        rng = random.Random(7)
        before = [rng.random() for _ in range(2000)]
        same = [rng.random() for _ in range(2000)]
        shifted = [min(1.0, v * 0.5 + 0.5) for v in same]
        self.assertLess(evaluation.population_stability(before, same), 0.1)
        self.assertGreater(evaluation.population_stability(before, shifted), 0.25)
        self.assertEqual(evaluation.population_stability(before, before), 0.0)
        self.assertIsNone(evaluation.population_stability([], same))
