"""PNRR projects and their close-out (issue 16): the projects of a partnership (``queries``), who sees and who hands
over (``access``), the hand-over of what was charged to a CUP after the end of its activities (``actions``).

The end itself is data on the funding row that holds the CUP (``procurement.ContractFunding.project_end``), so that
procurement, planning and sessions refuse new charges with the words of ``leps.pnrr``; this package finds and
moves what was charged before they did.
"""
