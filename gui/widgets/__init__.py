"""Small widgets shared by the window's parts and its dialogs."""
