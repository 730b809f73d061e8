from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG(
    dag_id="demo",
    schedule="0 2 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    default_args={"retries": 4, "retry_delay": timedelta(minutes=1)},
) as dag:
    extract = BashOperator(task_id="extract", bash_command="wurzel run extract")
    train = BashOperator(task_id="train", bash_command="wurzel run train")
    extract >> train
