"""The use cases both front ends call (the CLI's commands and the app's screens): start or resume a round,
grade and keep, the sessions in the store, history, and the committee for a loop. No argparse, no Textual, no
printing: a use case returns what happened (with notes for the front end to show), and takes the process's one
`Settings` as an argument."""
