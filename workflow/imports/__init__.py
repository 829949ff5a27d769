"""导入: the forms units already have (Word, Excel, PDF, text extracts) read into drafts."""
