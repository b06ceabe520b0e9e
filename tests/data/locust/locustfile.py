"""Locust scenario for the committed *_stats.csv: crisis and sync endpoints on loopback."""

from locust import HttpUser, constant, task


class AppUser(HttpUser):
    wait_time = constant(0.05)

    @task(3)
    def crisis(self):
        self.client.get("/crisis", name="crisis")

    @task(1)
    def sync(self):
        self.client.get("/sync", name="sync")

    @task(1)
    def missing(self):
        with self.client.get("/missing", name="missing", catch_response=True) as response:
            if response.status_code == 404:
                response.failure("404 (deliberate: a failing endpoint)")
