"""Model building: turning packaged weights into loadable model folders."""
