"""The accomplishment plan: goals in the person's words, their actions and their follow-up."""
