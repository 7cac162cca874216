import type { Route } from "./+types/home";

export function meta({}: Route.MetaArgs) {
  return [{ title: "Team board" }];
}

export async function loader() {
  return { open: 7 };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return (
    <main>
      <h1>Team board</h1>
      <p>{loaderData.open} open tasks, rendered on the server by React Router</p>
    </main>
  );
}
