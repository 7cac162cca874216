const express = require('express');
const Database = require('better-sqlite3');

const db = new Database(process.env.DB_FILE || ':memory:');
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
db.prepare('INSERT INTO notes (body) VALUES (?)').run('hello from better-sqlite3');

const app = express();

app.get('/', (req, res) => {
  const note = db.prepare('SELECT body FROM notes ORDER BY id LIMIT 1').get();
  res.send(`${note.body} (sqlite ${db.prepare('select sqlite_version() as v').get().v})`);
});

app.listen(3000, () => console.log('listening on 3000'));
