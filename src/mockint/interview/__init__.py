"""Live rounds: the round session (saving every turn as it happens) and the interviewers behind it."""
