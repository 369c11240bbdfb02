"""The rules of LEPS 2.7.2 (supervision of social-services staff) and of L. 178/2020 art. 1 c. 797.

The heart of the product, at the bottom of the imports: pure Python, typed, importing no app and no Django
(``choices`` alone, see there). Every function takes its parameters from a ``parameters.LepsRules`` value, whose
defaults are the numbers of the Scheda LEPS 2.7.2 (Piano nazionale degli interventi e dei servizi sociali
2021-2023) and of the law, and takes "today" as an argument. Each module reads like its paragraph:

- ``kinds``: the three types of supervision (A1, A2, A3, and extra-LEPS) and the professions;
- ``parameters``: the numbers of every rule and which ones are in force on a day;
- ``minimums``: minimum hours, pro-rating, A1 groups of at most 15, moving unused A2 hours;
- ``eligibility``: who may supervise which type;
- ``shortfalls``: what keeps a plan below the LEPS;
- ``compliance``: during the year, whether a group is getting its minimum;
- ``cofinancing``: costs and what an amount (the FNPS quota) adds;
- ``fnps``: who pays with the FNPS quota (an ATS's row pays for its own staff, others' only under an agreement with
  quotas), costs split by quotas or head count to the cent;
- ``attendance``: the 80 % for continuing-education credits;
- ``ratio``: FTE, the social-worker ratio and the c. 797 contribution;
- ``wording``, ``rounding``: numbers in Italian, the half hour and the cent;
- ``choices``: the Django choices of the enums, so that every app stores the same values.

Everything a rule finds wrong is returned as a structured value (``Shortfall``, ``Ineligibility``,
``Compliance``, ``PayerCheck``) that the interface renders in words with the ``describe*`` functions.
"""
