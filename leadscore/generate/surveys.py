"""The surveys source (raw_surveys): onboarding survey answers of some product users, as SQL over `people`.

The free-text `feedback` answer follows the hidden intent: intent plus uniform noise in [-1, 1) above 0.6 picks a
positive answer, below -0.6 a negative one, else a neutral or mixed one. Every phrase is worded with terms of seed
survey_sentiment_lexicon (some negated: "not bad", "not useful"), so the sentiment feature reads it back."""

from __future__ import annotations

from leadscore.generate.sql import _pick

FEEDBACK = {
    "positive": ["Love it, exactly what our team needs", "Really impressed so far. The dashboards are great!",
                 "Very helpful and easy to set up", "Great product, I would recommend it to my team",
                 "Excellent support and a powerful query editor", "Not bad at all: the reports are useful"],
    "neutral": ["Still exploring", "Too early to say", "Looks useful but the setup was confusing",
                "Good so far, a bit slow sometimes", "No opinion yet", "It is fine for now"],
    "negative": ["Too expensive for what it does", "Confusing and slow", "Not useful for what I need",
                 "Not impressed. The import keeps failing", "Disappointed, the charts are buggy",
                 "Frustrating: it doesn't work with our database"],
}


class SurveysSql:
    """SQL of raw_surveys.responses (needs the SqlParts)."""

    def surveys_sql(self) -> str:
        questions = [
            ("purchase_intent", "How likely are you to buy Acme Analytics in the next 3 months? (0-10)"),
            ("nps", "How likely are you to recommend Acme Analytics to a colleague? (0-10)"),
            ("use_case", "What do you want to use Acme Analytics for?"),
            ("team_size", "How many people on your team will use it?"),
            ("feedback", "What do you think of Acme Analytics so far?"),
        ]
        qvalues = ", ".join(f"({i}, '{q}', '{t}')" for i, (q, t) in enumerate(questions))
        return f"""
        with r as (
            select p.*, p.intent + 2 * {self.u('p.person_id', "'svyf'")} - 1 as feedback_tone, q.qn, q.question_id, q.question, {self.h('p.person_id', "'svy'", 'q.qn')} as h,
                p.first_touch_at + to_seconds(cast(7 * 86400 + {self.h('p.person_id', "'svyt'")} % (14 * 86400) + q.qn * 20 as bigint))
                    as responded_at
            from people as p, (values {qvalues}) as q(qn, question_id, question)
            where p.survey_answered
        )
        select
            'rsp_' || person_id || '_' || qn as response_id,
            'srv_onboarding' as survey_id,
            user_id,
            case when (h >> 4) % 2 = 0 then email end as email,
            question_id,
            question,
            case question_id
                when 'use_case' then case when intent > 0.5 then {_pick(['Evaluating BI tools to buy for our team', 'Replacing our current tool, comparing pricing'], 'h')}
                                          else {_pick(['Just learning', 'Side project', 'Building a data platform', 'Curious about the product'], 'h')} end
                when 'team_size' then {_pick(['1', '2-10', '11-50', '51-200', '200+'], 'h >> 8')}
                when 'feedback' then case when feedback_tone > 0.6 then {_pick(FEEDBACK['positive'], 'h >> 16')}
                                          when feedback_tone < -0.6 then {_pick(FEEDBACK['negative'], 'h >> 16')}
                                          else {_pick(FEEDBACK['neutral'], 'h >> 16')} end
            end as answer,
            cast(case question_id
                when 'purchase_intent' then purchase_intent_rating
                when 'nps' then least(10, greatest(0, purchase_intent_rating + 2 - cast((h >> 12) % 4 as int)))
            end as integer) as rating,
            responded_at,
            responded_at + interval 5 minute as _loaded_at
        from r
        """
