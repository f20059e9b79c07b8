"""MAC/D (Move/Add/Change/Delete) requests, routed per cloud service to Care or the CSM."""
