import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("guestbook", "routes/guestbook.tsx"),
  route("api/echo", "routes/api.echo.ts"),
  route("old-home", "routes/old-home.ts"),
] satisfies RouteConfig;
