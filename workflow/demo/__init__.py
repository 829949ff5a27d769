"""The demo (`jixiao demo`, `make run`): units, people and projects made through the real
operations, so that every history and the audit chain are real, and dated relative to the day it
is loaded, so that it looks like a real year in a real finance bureau on that day.

What it holds, with Y the year of the load day (China time):

- The four real declarations of shared/seeds (000, 001, 002, 004) exactly as typed, with their
  own years (2020, 2021) and amounts: 000 is complete and declared, the others stay drafts with
  the problems the real forms have. They are typed in over the last working days before the
  load, after everything else, so they head the project list.
- Sixteen earlier projects of the same three units, each on its unit's seed form with its own
  name, 项目概况, 项目实施计划 and amount (the 资金构成, 资金来源 and 上年度 figures scaled
  together, so the checks still pass): archived projects of Y-2 and Y-3, last year's (Y-1) in
  evaluating / evaluation_unit_review / self_evaluated, this year's in implementing, and the
  declarations on their way (draft, returned, unit_review, declared, refused, approved) for the
  year being declared: Y until August, Y+1 from September, when next year's budget is declared.
  Together with the seeds every state of states.yaml is there.

How it is dated (stories.py, timeline.py):

- A project of year y is declared in the autumn of y-1, approved in January of y, its milestones
  confirmed a few days later; it records each milestone near its due date, begins 自评 in
  January of y+1, hands it in by 3月31日 and is archived in spring. A declaration still before
  approval arrived in its state lately (days, not months), on a plan for the months ahead.
- Every step is on a working day (workflow.workdays, China's calendar) in office hours, and
  nothing is after the load time: a story whose natural course would pass it (a load in early
  January) is squeezed into the office time left, in the same order, from the first day the
  step makes sense when there is room (开始自评 after the project's year).
- Past the 3月31日 deadline, last year's projects still in self-evaluation were sent back lately
  (by finance, or by the 单位负责人) and are being put right: each is one overdue self-evaluation,
  and they are in different units.
- Milestones due before the load day are recorded as done a few days around their due date,
  except, in each unit, the one most lately due of a running project: a unit has one or two
  overdue items, not dozens. Archived projects have everything recorded but the 质保金 release,
  still ahead (or recorded once its term has run).
- Everyone has read their messages up to three working days before the load; what came since is
  unread.
- All steps of all stories run in the order of their times, so the audit chain reads as the
  years went.
"""

from workflow.demo.forms import seed_form_data
from workflow.demo.load import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "load_demo", "seed_form_data"]
