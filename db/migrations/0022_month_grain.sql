-- The activity aggregates keep whole months only (issue 15): the day-grain
-- rows of 0011 (grain 'D', about seven rows per activity: one per day,
-- author, type, code and linked id) cost more to write than the activity
-- itself. A period's partial months (at most its first and its last) are
-- read from the journal through its (territory_id, date) and
-- (author_id, date) indexes instead (model/ind_activity.c). The grain
-- column stays, always 'M', so the keys and the readers keep their shape.
DELETE FROM agg_act WHERE grain = 'D';
DELETE FROM agg_act_code WHERE grain = 'D';
DELETE FROM agg_act_link WHERE grain = 'D';
