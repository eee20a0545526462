"""Plan intake: every format is read into one ``Grid`` (grid.py) by its reader
(text.py, office.py, html.py, delimited.py, pdf.py), chosen by ``read.read_grid``;
the meaning of the grid is ``core.plan_parser.plan_from_grid``."""
