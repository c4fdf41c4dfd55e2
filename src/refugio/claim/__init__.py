"""The claim beyond the form (issue 5): events, evidence, the declaration and the filing packet.

``refugio.claim.model`` holds the data (a :class:`Dossier` per case, beside the I-589
:class:`~refugio.model.Application`); the other modules read it:

- ``consistency``: conflicts between the form, the timeline, the declaration and the evidence;
- ``declaration``: the personal statement drafted from the timeline, and its PDF/DOCX export;
- ``typeset``: plain pages of text (declaration, index, tab pages, certificates, cover letter);
- ``exhibits``: tab pages, continuous page numbers and the exhibit index;
- ``packet``: the packages in the order of the instructions, the checklist and the fee.
"""
