"""Locust scenario for run_methods_stats.csv: GET and POST of one endpoint name ("crisis").

Locust writes one row per (method, name): a fast GET crisis and a slow POST crisis. A check on
the endpoint "crisis" must judge both rows.
"""

from locust import HttpUser, constant, task


class AppUser(HttpUser):
    wait_time = constant(0.05)

    @task(3)
    def crisis_get(self):
        self.client.get("/crisis", name="crisis")

    @task(1)
    def crisis_post(self):
        self.client.post("/crisis", json={"message": "help"}, name="crisis")
