"""节假日安排: the holiday calendar the 系统管理员 maintains for the years chinese-calendar does
not know yet — the days, the State Council's notice parsed into them, the cache each process
keeps (workflow/workdays.py) and the warning when the calendar ends before the due dates."""
