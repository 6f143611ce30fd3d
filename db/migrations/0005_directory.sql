-- corridors and directory (issue 4): reserved; no schema change yet.
SELECT 1;
