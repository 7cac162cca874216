export default function About() {
  return <p>About this board.</p>;
}
