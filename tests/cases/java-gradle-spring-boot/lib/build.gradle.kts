plugins { id("conventions.java") }
