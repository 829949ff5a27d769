"""项目实施计划 milestones: reading the plan prose and the milestones a 填报人 confirms."""
