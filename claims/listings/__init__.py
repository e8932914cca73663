"""The listing parsers: what a training set's listing says about each work, without a database.

`files` reads a listing file (CSV, TSV or JSON lines, perhaps gzipped) into rows; `rows` turns a
row into a ManifestRecord with its comparison keys. A title comes in one of the listing shapes,
and one manifest may mix them: film and TV titles (`film_tv`: catalogue entries, subtitle
exports, release names) and book corpora's file names (`books`); `creators` reads people's
names, `fast_paths` short-cuts the commonest row, `columns` and `text` hold what they share.
"""
