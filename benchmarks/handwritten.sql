-- The limit: national2026's numerators and denominators for every unit, written
-- by hand as one DuckDB query, the way an expert would write it for this data.
--
-- benchmarks/run.py replaces $DATA (the data folder), $EXT (parquet or csv),
-- $START and $END (the period: first instant, first instant after) and runs it.
-- Output: one row per unit and indicator (unit_code, indicator, numerator,
-- denominator), every unit included. run.py checks it against `dvc-score count`.
--
-- The plan: one pass over dossiers, aggregated straight into one row per
-- (unit, procedure, service) -- a few thousand groups, whatever the volume --
-- carrying row counts and, for the distinct-count indicators, whether any
-- dossier of the group qualifies. Roll-ups to every ancestor (a parent is
-- scored from pooled counts, distinct procedures counted afresh) then join
-- that small table to the unit closure. Publicity is the root's figure.
--
-- The working-day calendar (due date of a dossier without one: the procedure's
-- maximum duration in working days from reception) holds 2024-2028: Saturdays,
-- Sundays and Vietnam's public holidays from the `holidays` package.
WITH
params AS (
    SELECT TIMESTAMP '$START' AS ps, TIMESTAMP '$END' AS pe
),
days AS (
    SELECT CAST(day AS DATE) AS day,
        isodow(day) < 6 AND NOT list_contains(CAST([
            '2024-01-01', '2024-02-08', '2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12',
            '2024-02-13', '2024-02-14', '2024-04-18', '2024-04-29', '2024-04-30', '2024-05-01',
            '2024-09-02', '2024-09-03',
            '2025-01-01', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31',
            '2025-02-01', '2025-04-07', '2025-04-30', '2025-05-01', '2025-05-02', '2025-09-01',
            '2025-09-02',
            '2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
            '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-08-31', '2026-09-01',
            '2026-09-02', '2026-11-24',
            '2027-01-01', '2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08',
            '2027-02-09', '2027-02-10', '2027-04-16', '2027-04-30', '2027-05-01', '2027-05-03',
            '2027-09-02', '2027-09-03', '2027-11-24',
            '2028-01-01', '2028-01-03', '2028-01-24', '2028-01-25', '2028-01-26', '2028-01-27',
            '2028-01-28', '2028-01-29', '2028-04-04', '2028-04-30', '2028-05-01', '2028-05-02',
            '2028-09-01', '2028-09-02', '2028-09-04', '2028-11-24'
        ] AS DATE[]), CAST(day AS DATE)) AS working
    FROM range(DATE '2024-01-01', DATE '2029-01-01', INTERVAL 1 DAY) t(day)
),
-- seq[i]: working days from 2024-01-01 up to day i; workday[k]: the k-th working day.
cal AS (
    SELECT list(seq ORDER BY day) AS seq, list(day ORDER BY day) FILTER (WHERE working) AS workday
    FROM (SELECT day, working, CAST(sum(CAST(working AS INTEGER)) OVER (ORDER BY day) AS INTEGER) AS seq
          FROM days)
),
units_t AS (
    SELECT unit_code, level, e_certified_copy, NULLIF(parent_code, '') AS parent_code
    FROM '$DATA/units.$EXT'
),
-- every (unit, ancestor-or-self) pair, with the unit's root
closure AS (
    WITH RECURSIVE up(unit_code, ancestor, parent) AS (
        SELECT unit_code, unit_code, parent_code FROM units_t
        UNION ALL
        SELECT up.unit_code, u.unit_code, u.parent_code
        FROM up JOIN units_t u ON u.unit_code = up.parent
    )
    SELECT unit_code, ancestor, parent IS NULL AS is_root FROM up
),
catalog AS (
    SELECT * FROM '$DATA/procedures.$EXT'
),
-- one catalog row per (procedure, unit) for the dossiers' lookups
lookup AS (
    SELECT procedure_code, unit_code, max(max_duration_days) AS max_duration_days,
        max(paper_result) AS paper_result, max(for_citizens) AS for_citizens,
        max(has_fee) AS has_fee
    FROM catalog GROUP BY procedure_code, unit_code
),
dossier_flags AS (
    SELECT d.unit_code, d.procedure_code, d.service_code, d.channel = 'online' AS online,
        d.synced, d.paid_online, d.e_result, d.digitized, d.reused_data, d.personal_store,
        d.citizen_data, COALESCE(d.fee_due, 0) > 0 AS fee_bearing,
        COALESCE(l.paper_result, TRUE) AS paper, l.has_fee, COALESCE(l.for_citizens, TRUE) AS citizens,
        d.rating = 'unsatisfied' OR COALESCE(d.complaint, FALSE) AS unsatisfied,
        -- not refused / withdrawn / stopped, received before the period ended
        d.status NOT IN (3, 7, 8) AND d.received_at < p.pe AS live,
        d.received_at >= p.ps AS after_start,
        COALESCE(d.finished_at, d.returned_at) AS finish_time,
        d.status IN (9, 10) AND COALESCE(d.finished_at, d.returned_at) < p.pe AS finished_by_end,
        COALESCE(d.due_at, d.received_at + to_days(CAST(
            c.workday[c.seq[date_diff('day', DATE '2024-01-01', CAST(d.received_at AS DATE)) + 1]
                      + CAST(ceil(l.max_duration_days) AS INTEGER)]
            - CAST(d.received_at AS DATE) AS INTEGER))) AS due,
        COALESCE(d.supplement_requests, 0) <= 1
            AND date_diff('second', due, finish_time) <= COALESCE(d.supplement_days, 0) * 86400
            AS met_due,
        p.ps, p.pe
    FROM '$DATA/dossiers.$EXT' d
    CROSS JOIN params p CROSS JOIN cal c
    LEFT JOIN lookup l ON l.procedure_code = d.procedure_code AND l.unit_code = d.unit_code
),
dossier_states AS (
    SELECT *, live AND after_start AS rip,
        finished_by_end AND finish_time >= ps AS fip,
        live AND NOT COALESCE(finished_by_end, FALSE) AS open_at_end
    FROM dossier_flags
),
dossier_judged AS (
    SELECT *, live AND (COALESCE(fip, FALSE) OR open_at_end) AS handled,
        COALESCE(fip AND met_due, FALSE) OR COALESCE(open_at_end AND due >= pe, FALSE) AS on_time
    FROM dossier_states
),
-- the single pass: one row per (unit, procedure, service)
dossier_keys AS (
    SELECT unit_code, procedure_code, service_code,
        count(*) FILTER (WHERE rip) AS received,
        count(*) FILTER (WHERE rip AND synced) AS synced,
        count(*) FILTER (WHERE handled) AS handled,
        count(*) FILTER (WHERE handled AND on_time) AS on_time,
        count(*) FILTER (WHERE handled AND on_time AND NOT COALESCE(unsatisfied, FALSE)) AS satisfied,
        count(*) FILTER (WHERE rip AND online) AS online,
        count(*) FILTER (WHERE rip AND fee_bearing) AS fee,
        count(*) FILTER (WHERE rip AND fee_bearing AND paid_online) AS paid,
        count(*) FILTER (WHERE fip AND paper) AS paper_finished,
        count(*) FILTER (WHERE fip AND paper AND e_result) AS e_result,
        count(*) FILTER (WHERE rip AND digitized AND (NOT COALESCE(finished_by_end, FALSE)
                                                      OR NOT paper OR COALESCE(e_result, FALSE)))
            AS digitized,
        count(*) FILTER (WHERE rip AND reused_data) AS reused,
        count(*) FILTER (WHERE rip AND personal_store) AS personal,
        count(*) FILTER (WHERE rip AND citizen_data) AS citizen,
        bool_or(rip AND online) AS service_used_online,
        bool_or(rip AND fee_bearing AND paid_online AND has_fee) AS procedure_paid_online,
        bool_or(rip AND citizen_data AND citizens) AS procedure_citizen_data
    FROM dossier_judged
    GROUP BY unit_code, procedure_code, service_code
),
dossier_rollup AS (
    SELECT c.ancestor AS unit_code,
        sum(received) AS received, sum(synced) AS synced, sum(handled) AS handled,
        sum(on_time) AS on_time, sum(satisfied) AS satisfied, sum(online) AS online,
        sum(fee) AS fee, sum(paid) AS paid, sum(paper_finished) AS paper_finished,
        sum(e_result) AS e_result, sum(digitized) AS digitized, sum(reused) AS reused,
        sum(personal) AS personal, sum(citizen) AS citizen,
        count(DISTINCT service_code) FILTER (WHERE service_used_online) AS services_used,
        count(DISTINCT procedure_code) FILTER (WHERE procedure_paid_online) AS procedures_paid,
        count(DISTINCT procedure_code) FILTER (WHERE procedure_citizen_data) AS procedures_citizen
    FROM dossier_keys k JOIN closure c ON c.unit_code = k.unit_code
    GROUP BY c.ancestor
),
catalog_rollup AS (
    SELECT c.ancestor AS unit_code,
        count(DISTINCT p.procedure_code) AS procedures,
        count(DISTINCT p.procedure_code) FILTER (WHERE p.online_level IN ('partial', 'full'))
            AS procedures_online,
        count(DISTINCT p.service_code) FILTER (WHERE p.online_level IN ('partial', 'full'))
            AS services_online,
        count(DISTINCT p.procedure_code) FILTER (WHERE p.has_fee) AS procedures_fee,
        count(DISTINCT p.procedure_code) FILTER (WHERE p.has_fee AND p.payment_integrated)
            AS procedures_integrated,
        count(DISTINCT p.procedure_code) FILTER (WHERE COALESCE(p.for_citizens, TRUE))
            AS procedures_citizens,
        -- publicity (used at the root only)
        count(DISTINCT p.procedure_code) FILTER (WHERE decided) AS decided,
        count(DISTINCT p.procedure_code) FILTER (
            WHERE decided AND cal.seq[date_diff('day', DATE '2024-01-01', p.legal_effective_date) + 1]
                - cal.seq[date_diff('day', DATE '2024-01-01', p.decision_date) + 1] >= 5
        ) AS decided_on_time,
        count(DISTINCT p.procedure_code) FILTER (
            WHERE decided AND p.published_date IS NOT NULL
                AND cal.seq[date_diff('day', DATE '2024-01-01', p.published_date) + 1]
                    - cal.seq[date_diff('day', DATE '2024-01-01', p.decision_date) + 1] <= 5
        ) AS published_on_time,
        count(DISTINCT p.procedure_code) FILTER (WHERE published) AS published,
        count(DISTINCT p.procedure_code) FILTER (WHERE published AND p.content_complete)
            AS published_complete
    FROM (
        SELECT *,
            decision_date >= CAST(ps AS DATE) AND decision_date < CAST(pe AS DATE) AS decided,
            published_date >= CAST(ps AS DATE) AND published_date < CAST(pe AS DATE) AS published
        FROM catalog CROSS JOIN params
    ) p
    JOIN closure c ON c.unit_code = p.unit_code
    CROSS JOIN cal
    GROUP BY c.ancestor
),
petition_rollup AS (
    SELECT c.ancestor AS unit_code,
        count(*) FILTER (WHERE handled) AS handled,
        count(*) FILTER (WHERE handled AND on_time) AS on_time,
        count(*) FILTER (WHERE handled AND on_time AND COALESCE(rating, '') <> 'unsatisfied')
            AS satisfied
    FROM (
        SELECT unit_code, rating,
            received_at < pe AND (resolved_at IS NULL OR resolved_at >= ps) AS handled,
            COALESCE(resolved_at < pe AND resolved_at <= due_at, FALSE)
                OR COALESCE((resolved_at IS NULL OR resolved_at >= pe) AND due_at >= pe, FALSE)
                AS on_time
        FROM '$DATA/petitions.$EXT' CROSS JOIN params
    ) t
    JOIN closure c ON c.unit_code = t.unit_code
    GROUP BY c.ancestor
),
unit_rollup AS (
    SELECT c.ancestor AS unit_code,
        count(DISTINCT u.unit_code) FILTER (WHERE u.level = 'commune' AND u.e_certified_copy)
            AS communes_copy,
        count(DISTINCT u.unit_code)
            FILTER (WHERE u.level = 'commune' AND u.e_certified_copy IS NOT NULL) AS communes
    FROM units_t u JOIN closure c ON c.unit_code = u.unit_code
    GROUP BY c.ancestor
),
roots AS (
    SELECT unit_code, ancestor AS root FROM closure WHERE is_root
),
wide AS (
    SELECT u.unit_code,
        COALESCE(d.received, 0) AS received, COALESCE(d.synced, 0) AS synced,
        COALESCE(d.handled, 0) AS handled, COALESCE(d.on_time, 0) AS on_time,
        COALESCE(d.satisfied, 0) AS satisfied, COALESCE(d.online, 0) AS online,
        COALESCE(d.fee, 0) AS fee, COALESCE(d.paid, 0) AS paid,
        COALESCE(d.paper_finished, 0) AS paper_finished, COALESCE(d.e_result, 0) AS e_result,
        COALESCE(d.digitized, 0) AS digitized, COALESCE(d.reused, 0) AS reused,
        COALESCE(d.personal, 0) AS personal, COALESCE(d.citizen, 0) AS citizen,
        COALESCE(d.services_used, 0) AS services_used,
        COALESCE(d.procedures_paid, 0) AS procedures_paid,
        COALESCE(d.procedures_citizen, 0) AS procedures_citizen,
        COALESCE(p.procedures, 0) AS procedures,
        COALESCE(p.procedures_online, 0) AS procedures_online,
        COALESCE(p.services_online, 0) AS services_online,
        COALESCE(p.procedures_fee, 0) AS procedures_fee,
        COALESCE(p.procedures_integrated, 0) AS procedures_integrated,
        COALESCE(p.procedures_citizens, 0) AS procedures_citizens,
        COALESCE(rp.decided, 0) AS decided, COALESCE(rp.decided_on_time, 0) AS decided_on_time,
        COALESCE(rp.published_on_time, 0) AS published_on_time,
        COALESCE(rp.published, 0) AS published,
        COALESCE(rp.published_complete, 0) AS published_complete,
        COALESCE(t.handled, 0) AS petitions, COALESCE(t.on_time, 0) AS petitions_on_time,
        COALESCE(t.satisfied, 0) AS petitions_satisfied,
        COALESCE(n.communes_copy, 0) AS communes_copy, COALESCE(n.communes, 0) AS communes
    FROM units_t u
    JOIN roots r ON r.unit_code = u.unit_code
    LEFT JOIN dossier_rollup d ON d.unit_code = u.unit_code
    LEFT JOIN catalog_rollup p ON p.unit_code = u.unit_code
    LEFT JOIN catalog_rollup rp ON rp.unit_code = r.root
    LEFT JOIN petition_rollup t ON t.unit_code = u.unit_code
    LEFT JOIN unit_rollup n ON n.unit_code = u.unit_code
)
SELECT unit_code, m.indicator, m.numerator, m.denominator
FROM wide, unnest([
    {'indicator': 'publicity.published_on_time', 'numerator': decided_on_time, 'denominator': decided},
    {'indicator': 'publicity.updated_on_time', 'numerator': published_on_time, 'denominator': decided},
    {'indicator': 'publicity.content_complete', 'numerator': published_complete, 'denominator': published},
    {'indicator': 'publicity.dossier_sync', 'numerator': synced, 'denominator': received},
    {'indicator': 'timeliness.on_time', 'numerator': on_time, 'denominator': handled},
    {'indicator': 'online.procedures_online', 'numerator': procedures_online, 'denominator': procedures},
    {'indicator': 'online.services_with_dossiers', 'numerator': services_used, 'denominator': services_online},
    {'indicator': 'online.online_dossiers', 'numerator': online, 'denominator': received},
    {'indicator': 'payment.dossiers_paid_online', 'numerator': paid, 'denominator': fee},
    {'indicator': 'payment.procedures_with_online_payment', 'numerator': procedures_paid, 'denominator': procedures_fee},
    {'indicator': 'payment.procedures_integrated', 'numerator': procedures_integrated, 'denominator': procedures_fee},
    {'indicator': 'digitization.e_result', 'numerator': e_result, 'denominator': paper_finished},
    {'indicator': 'digitization.digitized', 'numerator': digitized, 'denominator': received},
    {'indicator': 'digitization.reused', 'numerator': reused, 'denominator': received},
    {'indicator': 'digitization.personal_store', 'numerator': personal, 'denominator': received},
    {'indicator': 'digitization.citizen_data_dossiers', 'numerator': citizen, 'denominator': received},
    {'indicator': 'digitization.citizen_data_procedures', 'numerator': procedures_citizen, 'denominator': procedures_citizens},
    {'indicator': 'digitization.certified_copy', 'numerator': communes_copy, 'denominator': communes},
    {'indicator': 'satisfaction.petitions_on_time', 'numerator': petitions_on_time, 'denominator': petitions},
    {'indicator': 'satisfaction.petitions_satisfied', 'numerator': petitions_satisfied, 'denominator': petitions},
    {'indicator': 'satisfaction.dossier_satisfaction', 'numerator': satisfied, 'denominator': handled}
]) AS x(m)
ORDER BY unit_code, m.indicator
