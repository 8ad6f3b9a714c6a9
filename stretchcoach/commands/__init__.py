"""What the command line composes from the layers below."""
