// Appended (after CALL () { ... }) to the grouped rows of a co-action events read (key, events: an account's or an
// object's actions): the same rows, in the same order, $part_rows of them to a record. The driver spends tens of
// microseconds of Python on each record whatever it holds: 75,000 retweeted posts read one to a record cost about
// 6 CPU seconds, read in parts 1.5-3.
WITH collect([key, events]) AS rows
UNWIND range(0, size(rows) - 1, $part_rows) AS first
RETURN rows[first..first + $part_rows] AS part
